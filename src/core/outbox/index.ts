import { and, count, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { Clock } from '../clock/index.js';
import { systemClock } from '../clock/index.js';
import type { Db } from '../db/index.js';
import { queryRows } from '../db/index.js';
import { newId } from '../ids/index.js';
import { outbox } from './schema.js';

export { outbox } from './schema.js';

/**
 * Transactional outbox. A service calls `enqueue` inside the transaction of the change that caused
 * the message; the worker delivers it afterwards with retries. Delivery is at-least-once: a process
 * that dies while sending leaves the row to be claimed again once its lease runs out, so handlers
 * must tolerate an occasional repeat (mail: a duplicate message is better than a lost one).
 */

export type OutboxStatus = 'pending' | 'sent' | 'failed';

export type OutboxMessage = {
  id: string;
  kind: string;
  payload: unknown;
  unitId: string | null;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  dedupeKey: string | null;
  createdAt: Date;
  sentAt: Date | null;
};

export type EnqueueInput = {
  kind: string;
  payload: unknown;
  /** Unit owning the message (for admin lists per unit). */
  unitId?: string | null;
  /** The same key is enqueued at most once, e.g. `digest:<userId>:2025-01-31`. */
  dedupeKey?: string | null;
  /** Deliver no earlier than this (defaults to `now`). */
  notBefore?: Date;
};

/** A payload is a reference to content, never the content: files travel by SHA-256. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

/**
 * Writes one message in the caller's transaction. Returns its id, or null when a message with the
 * same dedupe key already exists (nothing is written then).
 */
export async function enqueue(tx: Db, input: EnqueueInput, now: Date): Promise<string | null> {
  if (!input.kind) throw new Error('outbox: kind is required');
  const size = Buffer.byteLength(JSON.stringify(input.payload ?? null));
  if (size > MAX_PAYLOAD_BYTES) {
    throw new Error(`outbox: payload of ${size} bytes exceeds ${MAX_PAYLOAD_BYTES}; store files in the file store and reference them by SHA-256`);
  }
  const id = newId();
  const rows = await tx
    .insert(outbox)
    .values({
      id,
      kind: input.kind,
      payload: input.payload ?? null,
      unitId: input.unitId ?? null,
      dedupeKey: input.dedupeKey ?? null,
      nextAttemptAt: input.notBefore ?? now,
      createdAt: now,
    })
    .onConflictDoNothing({ target: outbox.dedupeKey })
    .returning({ id: outbox.id });
  return rows[0]?.id ?? null;
}

/** A handler throws this when retrying cannot help (malformed payload): the row fails at once. */
export class PermanentDeliveryError extends Error {}

export type OutboxHandler = (payload: unknown, message: OutboxMessage) => Promise<void>;

/** pino-compatible (Fastify's `app.log` fits). */
export type OutboxLogger = {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
};

export type OutboxWorkerOptions = {
  db: Db;
  handlers: Record<string, OutboxHandler>;
  clock?: Clock;
  /** Pause between polls when the queue is empty. */
  intervalMs?: number;
  logger?: OutboxLogger;
  /** Rows claimed per round. */
  batchSize?: number;
  /** After this many attempts a message is marked failed. */
  maxAttempts?: number;
  /** Waits after the 1st, 2nd, … failed attempt; the last value repeats. */
  backoffMs?: number[];
  /** A claimed row is invisible to other workers this long; if the process dies, it is retried after. */
  leaseMs?: number;
  /** A handler still running after this is treated as failed (the lease must be longer). */
  handlerTimeoutMs?: number;
};

export type OutboxWorker = {
  /** Stops polling and waits for the round in progress to finish. */
  stop(): Promise<void>;
  /** Claims and delivers one batch of due messages now; returns how many were attempted. */
  runOnce(): Promise<number>;
};

const MINUTE = 60_000;
export const DEFAULT_BACKOFF_MS = [1 * MINUTE, 5 * MINUTE, 30 * MINUTE, 120 * MINUTE, 360 * MINUTE, 720 * MINUTE];
export const DEFAULT_MAX_ATTEMPTS = 10;

/** The wait after the `attempts`-th failure. */
export function backoffDelay(attempts: number, schedule: number[] = DEFAULT_BACKOFF_MS): number {
  return schedule[Math.min(Math.max(attempts, 1), schedule.length) - 1];
}

const silentLogger: OutboxLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

type ClaimedRow = {
  id: string;
  kind: string;
  payload: unknown;
  unit_id: string | null;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: Date | string;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: Date | string;
  sent_at: Date | string | null;
};

const toDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

function fromRow(r: ClaimedRow): OutboxMessage {
  return {
    id: r.id,
    kind: r.kind,
    payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
    unitId: r.unit_id,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: toDate(r.next_attempt_at),
    lastError: r.last_error,
    dedupeKey: r.dedupe_key,
    createdAt: toDate(r.created_at),
    sentAt: r.sent_at === null ? null : toDate(r.sent_at),
  };
}

/**
 * Claims up to `limit` due rows in one statement: the rows are locked with SKIP LOCKED (concurrent
 * workers take different rows), counted as an attempt and leased by moving `next_attempt_at` ahead.
 * No transaction stays open while handlers run (on PGlite that would block every other query).
 */
async function claimDue(db: Db, now: Date, limit: number, leaseMs: number): Promise<OutboxMessage[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const rows = await queryRows<ClaimedRow>(
    db,
    sql`UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ${leaseUntil.toISOString()}::timestamptz
        WHERE id IN (
          SELECT id FROM outbox
          WHERE status = 'pending' AND next_attempt_at <= ${now.toISOString()}::timestamptz
          ORDER BY next_attempt_at
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
        RETURNING *`,
  );
  return rows.map(fromRow).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Quá thời gian xử lý (${Math.round(ms / 1000)} giây)`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 2000);

export function startOutboxWorker(opts: OutboxWorkerOptions): OutboxWorker {
  const { db, handlers } = opts;
  const clock = opts.clock ?? systemClock;
  const intervalMs = opts.intervalMs ?? 5_000;
  const log = opts.logger ?? silentLogger;
  const batchSize = opts.batchSize ?? 10;
  const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const backoff = opts.backoffMs ?? DEFAULT_BACKOFF_MS;
  const leaseMs = opts.leaseMs ?? 15 * MINUTE;
  const handlerTimeoutMs = Math.min(opts.handlerTimeoutMs ?? 5 * MINUTE, leaseMs);

  async function deliver(msg: OutboxMessage): Promise<void> {
    try {
      const handler = handlers[msg.kind];
      if (!handler) throw new Error(`Không có bộ xử lý cho loại thông điệp "${msg.kind}"`);
      await withTimeout(handler(msg.payload, msg), handlerTimeoutMs);
      await db
        .update(outbox)
        .set({ status: 'sent', sentAt: clock.now(), lastError: null })
        .where(eq(outbox.id, msg.id));
    } catch (err) {
      const permanent = err instanceof PermanentDeliveryError;
      const failed = permanent || msg.attempts >= maxAttempts;
      const now = clock.now();
      await db
        .update(outbox)
        .set({
          status: failed ? 'failed' : 'pending',
          lastError: errorText(err),
          nextAttemptAt: failed ? now : new Date(now.getTime() + backoffDelay(msg.attempts, backoff)),
        })
        .where(eq(outbox.id, msg.id));
      const fields = { outboxId: msg.id, kind: msg.kind, attempts: msg.attempts, err: errorText(err) };
      if (failed) log.error(fields, 'outbox message failed permanently');
      else log.warn(fields, 'outbox delivery failed; will retry');
    }
  }

  // Rounds never overlap within a process; SKIP LOCKED keeps processes apart.
  let chain: Promise<unknown> = Promise.resolve();
  const runOnce = (): Promise<number> => {
    const round = chain.then(async () => {
      const batch = await claimDue(db, clock.now(), batchSize, leaseMs);
      for (const msg of batch) await deliver(msg);
      return batch.length;
    });
    chain = round.catch(() => undefined);
    return round;
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(tick, ms);
    timer.unref();
  };
  function tick() {
    runOnce().then(
      (n) => schedule(n >= batchSize ? 0 : intervalMs), // a full batch: more may be waiting
      (err: unknown) => {
        log.error({ err: errorText(err) }, 'outbox worker round failed');
        schedule(intervalMs);
      },
    );
  }
  schedule(intervalMs);

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await chain;
    },
  };
}

export type OutboxListQuery = {
  status?: OutboxStatus;
  kind?: string;
  unitId?: string;
  page?: number;
  pageSize?: number;
};

export type OutboxPage = { items: OutboxMessage[]; total: number; page: number; pageSize: number };

/** For administrators: newest first, paginated (page from 1, at most 200 per page). */
export async function listOutbox(db: Db, q: OutboxListQuery = {}): Promise<OutboxPage> {
  const page = Math.max(1, Math.floor(q.page ?? 1));
  const pageSize = Math.min(200, Math.max(1, Math.floor(q.pageSize ?? 50)));
  const conds: SQL[] = [];
  if (q.status) conds.push(eq(outbox.status, q.status));
  if (q.kind) conds.push(eq(outbox.kind, q.kind));
  if (q.unitId) conds.push(eq(outbox.unitId, q.unitId));
  const where = conds.length ? and(...conds) : undefined;
  const [items, [{ n }]] = await Promise.all([
    db
      .select()
      .from(outbox)
      .where(where)
      .orderBy(desc(outbox.createdAt), desc(outbox.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: count() }).from(outbox).where(where),
  ]);
  return { items: items as OutboxMessage[], total: Number(n), page, pageSize };
}

/** Counts per status, for the admin dashboard and metrics. */
export async function outboxCounts(db: Db): Promise<Record<OutboxStatus, number>> {
  const rows = await db.select({ status: outbox.status, n: count() }).from(outbox).groupBy(outbox.status);
  const out: Record<OutboxStatus, number> = { pending: 0, sent: 0, failed: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

/**
 * Puts a failed message back in the queue (an administrator fixed the cause, e.g. configured SMTP).
 * Returns false when there is no failed message with that id.
 */
export async function retryOutboxMessage(tx: Db, id: string, now: Date): Promise<boolean> {
  const rows = await tx
    .update(outbox)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: now })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'failed')))
    .returning({ id: outbox.id });
  return rows.length > 0;
}
