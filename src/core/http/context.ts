import type { FastifyRequest } from 'fastify';
import type { Principal } from '../access/index.js';
import type { ActorContext } from '../audit/index.js';
import type { UserProfile } from '../auth/profile.js';
import type { ActiveSession } from '../auth/sessions.js';
import type { Clock } from '../clock/index.js';
import type { Db } from '../db/index.js';
import type { FileStore } from '../files/index.js';
import { forbidden, unauthorized } from '../errors/index.js';

// Module augmentation needs interfaces.
/* eslint-disable @typescript-eslint/consistent-type-definitions */
declare module 'fastify' {
  interface FastifyRequest {
    session: ActiveSession | null;
    principal: Principal | null;
    authVia: 'cookie' | 'bearer' | null;
    profile: UserProfile | null;
  }
  interface FastifyInstance {
    db: Db;
    clock: Clock;
    fileStore: FileStore;
  }
}
/* eslint-enable @typescript-eslint/consistent-type-definitions */

/** The acting person, for services and the audit trail. */
export function actorOf(req: FastifyRequest, now: Date): ActorContext {
  const p = req.principal;
  return {
    actorId: p?.userId ?? null,
    actorName: p?.fullName ?? null,
    unitId: p?.unitId ?? null,
    requestId: String(req.id),
    ip: req.ip ?? null,
    now,
  };
}

export function requireUser(req: FastifyRequest): Principal {
  if (!req.principal) throw unauthorized();
  return req.principal;
}

export function requireOfficial(req: FastifyRequest): Principal {
  const p = requireUser(req);
  if (p.kind !== 'official') throw forbidden('Chức năng này dành cho cán bộ, công chức.');
  return p;
}
