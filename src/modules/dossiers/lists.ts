import { sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { containsPattern, type Db, queryRows } from '../../core/db/index.js';
import type { DossierRow } from './log.js';
import { readableCondition, unitIdsWithRoles } from './policy.js';
import { dueState } from './read.js';
import { STATUS, STATUS_LABELS, type StatusCode } from './status.js';

/**
 * Queues and lists (GET /api/dossiers?box=…), paged, newest or most urgent first:
 * - mine: what the caller holds (their queue, by step due time);
 * - unit: what a unit holds where the caller has the step's role;
 * - desk: online dossiers waiting for the desk's acceptance (by the 8-working-hour "accept by" time);
 * - return: results waiting to be handed back at the caller's desk;
 * - all: every dossier the caller may read (officials) / "my dossiers" (citizens).
 */
export const BOXES = ['mine', 'unit', 'desk', 'return', 'all'] as const;
export type Box = (typeof BOXES)[number];

export type ListQuery = { box: Box; status?: number; q?: string; overdue?: boolean; page: number; pageSize: number };

type Raw = {
  id: string; code: string | null; status: number; channel: string; procedure_code: string; procedure_name: string; applicant_name: string; unit_id: string; unit_name: string;
  current_unit_name: string; submitted_at: Date | string | null; accept_by: Date | string | null; received_at: Date | string | null; due_at: Date | string | null;
  step_name: string | null; step_due_at: Date | string | null; holder_name: string | null; paused_at: Date | string | null; completed_at: Date | string | null;
  closed_at: Date | string | null; created_at: Date | string;
};

const iso = (v: Date | string | null): string | null => (v == null ? null : new Date(v).toISOString());
const uuids = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;
const OPEN = sql`(2, 4, 5, 6, 9)`;

export function presentItem(r: Raw, now: Date) {
  const d = { status: r.status, dueAt: r.due_at ? new Date(r.due_at) : null, pausedAt: r.paused_at ? new Date(r.paused_at) : null, completedAt: r.completed_at ? new Date(r.completed_at) : null, closedAt: r.closed_at ? new Date(r.closed_at) : null } as Pick<DossierRow, 'status' | 'dueAt' | 'pausedAt' | 'completedAt' | 'closedAt'>;
  return {
    id: r.id, code: r.code, statusCode: r.status, status: STATUS_LABELS[r.status as StatusCode], channel: r.channel,
    procedureCode: r.procedure_code, procedureName: r.procedure_name, applicantName: r.applicant_name,
    unitId: r.unit_id, unitName: r.unit_name, currentUnitName: r.current_unit_name,
    submittedAt: iso(r.submitted_at), acceptBy: iso(r.accept_by), receivedAt: iso(r.received_at), dueAt: iso(r.due_at),
    stepName: r.step_name, stepDueAt: iso(r.step_due_at), holderName: r.holder_name,
    dueState: dueState(d, now),
    acceptOverdue: r.status === STATUS.submitted && !!r.accept_by && new Date(r.accept_by) < now,
    createdAt: iso(r.created_at)!,
  };
}
export type DossierItem = ReturnType<typeof presentItem>;

/** SQL: dossiers held by a unit where the caller holds the role the dossier waits for (a deputy stands in for the leader). */
function unitHeld(p: Principal): SQL {
  const parts = p.roles.map((g) => sql`(d.holder_role = ANY(${`{${[g.role, ...(g.role === 'deputy_leader' ? ['leader'] : [])].join(',')}}`}::text[]) AND hu.path LIKE ${`${g.unitPath}%`})`);
  if (parts.length === 0) return sql`false`;
  return sql`EXISTS (SELECT 1 FROM units hu WHERE hu.id = d.holder_unit_id AND (${sql.join(parts, sql` OR `)}))`;
}

export async function listDossiers(db: Db, p: Principal, q: ListQuery, now: Date): Promise<{ items: DossierItem[]; total: number; page: number; pageSize: number }> {
  const conds: SQL[] = [];
  let order = sql`d.created_at DESC, d.id DESC`;
  if (p.kind === 'citizen' || q.box === 'all') {
    conds.push(readableCondition(p));
    if (p.kind === 'citizen' && q.box !== 'all') conds.push(sql`false`);
  } else if (q.box === 'mine') {
    conds.push(sql`d.holder_user_id = ${p.userId}`, sql`d.status IN ${OPEN}`);
    order = sql`d.step_due_at ASC NULLS LAST, d.due_at ASC NULLS LAST, d.id`;
  } else if (q.box === 'unit') {
    conds.push(sql`d.holder_unit_id IS NOT NULL`, sql`d.status IN ${OPEN}`, unitHeld(p));
    order = sql`d.step_due_at ASC NULLS LAST, d.due_at ASC NULLS LAST, d.id`;
  } else {
    const desks = await unitIdsWithRoles(db, p, ['onestop_officer']);
    conds.push(desks.length ? sql`d.unit_id = ANY(${uuids(desks)})` : sql`false`);
    if (q.box === 'desk') {
      conds.push(sql`d.status = ${STATUS.submitted}`);
      if (q.overdue) conds.push(sql`d.accept_by < ${now.toISOString()}`);
      order = sql`d.accept_by ASC NULLS LAST, d.id`;
    } else {
      conds.push(sql`d.status = ${STATUS.done}`);
      order = sql`d.due_at ASC NULLS LAST, d.id`;
    }
  }
  if (q.status !== undefined) conds.push(sql`d.status = ${q.status}`);
  if (q.overdue && q.box !== 'desk') conds.push(sql`d.due_at < ${now.toISOString()} AND d.status IN (2, 4, 6) AND d.paused_at IS NULL`);
  const text = q.q?.trim();
  if (text) {
    const pattern = containsPattern(text);
    conds.push(sql`(d.code ILIKE ${pattern} OR d.applicant_name ILIKE ${pattern} OR d.applicant_id_number = ${text})`);
  }
  const where = sql.join(conds, sql` AND `);
  const [{ n }] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM dossiers d WHERE ${where}`);
  const rows = await queryRows<Raw>(
    db,
    sql`SELECT d.id, d.code, d.status, d.channel, pr.code AS procedure_code, pv.name AS procedure_name, d.applicant_name, d.unit_id, u.name AS unit_name,
               cu.name AS current_unit_name, d.submitted_at, d.accept_by, d.received_at, d.due_at, d.step_name, d.step_due_at,
               coalesce(hp.full_name, hn.name) AS holder_name, d.paused_at, d.completed_at, d.closed_at, d.created_at
          FROM dossiers d JOIN procedure_versions pv ON pv.id = d.procedure_version_id JOIN procedures pr ON pr.id = d.procedure_id
          JOIN units u ON u.id = d.unit_id JOIN units cu ON cu.id = d.current_unit_id
          LEFT JOIN users hp ON hp.id = d.holder_user_id LEFT JOIN units hn ON hn.id = d.holder_unit_id
         WHERE ${where} ORDER BY ${order} LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
  );
  return { items: rows.map((r) => presentItem(r, now)), total: n, page: q.page, pageSize: q.pageSize };
}

/** Counts for the home page and the menu badges. */
export async function dossierCounts(db: Db, p: Principal, now: Date): Promise<Record<'mine' | 'unit' | 'desk' | 'deskOverdue' | 'return', number>> {
  const count = async (box: Box, overdue = false) => (await listDossiers(db, p, { box, overdue, page: 1, pageSize: 1 }, now)).total;
  if (p.kind !== 'official') return { mine: 0, unit: 0, desk: 0, deskOverdue: 0, return: 0 };
  const [mine, unit, desk, deskOverdue, ret] = await Promise.all([count('mine'), count('unit'), count('desk'), count('desk', true), count('return')]);
  return { mine, unit, desk, deskOverdue, return: ret };
}
