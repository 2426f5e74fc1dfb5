import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../clock/index.js';
import { type Database, inTransaction } from '../db/index.js';
import { openTestDatabase } from '../../test/harness.js';
import {
  backoffDelay,
  enqueue,
  listOutbox,
  outbox,
  outboxCounts,
  PermanentDeliveryError,
  retryOutboxMessage,
  startOutboxWorker,
} from './index.js';

const T0 = new Date('2025-03-10T01:00:00Z');
const MIN = 60_000;
let database: Database;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ database, drop } = await openTestDatabase());
});
afterAll(async () => {
  await database.close();
  await drop();
});
beforeEach(async () => {
  await database.db.delete(outbox);
});

const row = async (id: string) => (await database.db.select().from(outbox).where(eq(outbox.id, id)))[0];

describe('enqueue', () => {
  it('writes a pending row in the caller’s transaction and nothing when it rolls back', async () => {
    const id = await inTransaction(database.db, (tx) => enqueue(tx, { kind: 'mail', payload: { to: 'a@b.vn', subject: 'Xin chào' } }, T0));
    expect(id).toBeTruthy();
    const r = await row(id!);
    expect(r).toMatchObject({ kind: 'mail', status: 'pending', attempts: 0, payload: { to: 'a@b.vn', subject: 'Xin chào' } });
    expect(r.nextAttemptAt.getTime()).toBe(T0.getTime());

    await expect(
      inTransaction(database.db, async (tx) => {
        await enqueue(tx, { kind: 'mail', payload: { n: 2 } }, T0);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect((await listOutbox(database.db)).total).toBe(1);
  });

  it('enqueues a dedupe key once', async () => {
    const first = await enqueue(database.db, { kind: 'digest', payload: {}, dedupeKey: 'digest:u1:2025-03-10' }, T0);
    const second = await enqueue(database.db, { kind: 'digest', payload: { other: true }, dedupeKey: 'digest:u1:2025-03-10' }, T0);
    expect(first).toBeTruthy();
    expect(second).toBeNull();
    // Messages without a key never collide.
    expect(await enqueue(database.db, { kind: 'digest', payload: {} }, T0)).toBeTruthy();
    expect(await enqueue(database.db, { kind: 'digest', payload: {} }, T0)).toBeTruthy();
    expect((await listOutbox(database.db)).total).toBe(3);
  });

  it('refuses a payload that carries content instead of a reference', async () => {
    await expect(enqueue(database.db, { kind: 'mail', payload: { data: 'x'.repeat(70_000) } }, T0)).rejects.toThrow(/SHA-256/);
  });
});

describe('worker', () => {
  it('delivers due messages, marks them sent, and leaves future ones for later', async () => {
    const clock = fixedClock(T0);
    const seen: unknown[] = [];
    const worker = startOutboxWorker({ db: database.db, clock, intervalMs: 3_600_000, handlers: { mail: async (p) => void seen.push(p) } });
    const now = await enqueue(database.db, { kind: 'mail', payload: { n: 1 } }, T0);
    const later = await enqueue(database.db, { kind: 'mail', payload: { n: 2 }, notBefore: new Date(T0.getTime() + 10 * MIN) }, T0);

    expect(await worker.runOnce()).toBe(1);
    expect(seen).toEqual([{ n: 1 }]);
    expect(await row(now!)).toMatchObject({ status: 'sent', attempts: 1, lastError: null, sentAt: T0 });
    expect(await worker.runOnce()).toBe(0);

    clock.advance(10 * MIN);
    expect(await worker.runOnce()).toBe(1);
    expect(seen).toEqual([{ n: 1 }, { n: 2 }]);
    expect((await row(later!)).status).toBe('sent');
    await worker.stop();
  });

  it('retries with growing back-off, then marks the message failed; an admin can requeue it', async () => {
    const clock = fixedClock(T0);
    let fail = true;
    const worker = startOutboxWorker({
      db: database.db,
      clock,
      intervalMs: 3_600_000,
      maxAttempts: 3,
      handlers: {
        mail: async () => {
          if (fail) throw new Error('Máy chủ thư không phản hồi');
        },
      },
    });
    const id = (await enqueue(database.db, { kind: 'mail', payload: {} }, T0))!;

    expect(await worker.runOnce()).toBe(1);
    let r = await row(id);
    expect(r).toMatchObject({ status: 'pending', attempts: 1, lastError: 'Máy chủ thư không phản hồi' });
    expect(r.nextAttemptAt.getTime()).toBe(T0.getTime() + 1 * MIN);

    clock.advance(30_000);
    expect(await worker.runOnce()).toBe(0); // not due yet
    clock.advance(30_000);
    expect(await worker.runOnce()).toBe(1);
    r = await row(id);
    expect(r).toMatchObject({ status: 'pending', attempts: 2 });
    expect(r.nextAttemptAt.getTime()).toBe(clock.now().getTime() + 5 * MIN);

    clock.advance(5 * MIN);
    expect(await worker.runOnce()).toBe(1);
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: 3, lastError: 'Máy chủ thư không phản hồi' });
    clock.advance(24 * 60 * MIN);
    expect(await worker.runOnce()).toBe(0); // failed rows are never picked up again

    expect(await retryOutboxMessage(database.db, id, clock.now())).toBe(true);
    expect(await retryOutboxMessage(database.db, id, clock.now())).toBe(false); // no longer failed
    fail = false;
    expect(await worker.runOnce()).toBe(1);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    await worker.stop();
  });

  it('fails at once on a permanent error and keeps retrying a kind without a handler', async () => {
    const clock = fixedClock(T0);
    const worker = startOutboxWorker({
      db: database.db,
      clock,
      intervalMs: 3_600_000,
      handlers: {
        mail: async () => {
          throw new PermanentDeliveryError('Địa chỉ người nhận không hợp lệ');
        },
      },
    });
    const bad = (await enqueue(database.db, { kind: 'mail', payload: {} }, T0))!;
    const unknown = (await enqueue(database.db, { kind: 'sms', payload: {} }, T0))!;
    expect(await worker.runOnce()).toBe(2);
    expect(await row(bad)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'Địa chỉ người nhận không hợp lệ' });
    expect(await row(unknown)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'Không có bộ xử lý cho loại thông điệp "sms"' });
    await worker.stop();
  });

  it('counts a handler that hangs past its timeout as a failed attempt', async () => {
    const clock = fixedClock(T0);
    const worker = startOutboxWorker({ db: database.db, clock, intervalMs: 3_600_000, handlerTimeoutMs: 50, handlers: { mail: () => new Promise(() => undefined) } });
    const id = (await enqueue(database.db, { kind: 'mail', payload: {} }, T0))!;
    expect(await worker.runOnce()).toBe(1);
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringMatching(/^Quá thời gian xử lý/) });
    await worker.stop();
  });

  it('leases claimed rows: another worker skips them until the lease runs out (a crashed sender)', async () => {
    const clock = fixedClock(T0);
    let release!: () => void;
    const crashed = startOutboxWorker({
      db: database.db,
      clock,
      intervalMs: 3_600_000,
      leaseMs: 10 * MIN,
      handlers: { mail: () => new Promise<void>((resolve) => (release = resolve)) },
    });
    const delivered: unknown[] = [];
    const other = startOutboxWorker({ db: database.db, clock, intervalMs: 3_600_000, handlers: { mail: async (p) => void delivered.push(p) } });
    await enqueue(database.db, { kind: 'mail', payload: { n: 1 } }, T0);

    const hanging = crashed.runOnce();
    await expect.poll(() => typeof release).toBe('function'); // claimed, handler running
    expect(await other.runOnce()).toBe(0);
    clock.advance(10 * MIN);
    expect(await other.runOnce()).toBe(1);
    expect(delivered).toEqual([{ n: 1 }]);
    release();
    await hanging;
    await Promise.all([crashed.stop(), other.stop()]);
  });

  it('two workers polling together deliver every message exactly once', async () => {
    const clock = fixedClock(T0);
    const seen: number[] = [];
    const handlers = { mail: async (p: unknown) => void seen.push((p as { n: number }).n) };
    const a = startOutboxWorker({ db: database.db, clock, intervalMs: 3_600_000, batchSize: 3, handlers });
    const b = startOutboxWorker({ db: database.db, clock, intervalMs: 3_600_000, batchSize: 3, handlers });
    for (let n = 0; n < 20; n++) await enqueue(database.db, { kind: 'mail', payload: { n } }, T0);
    let total = 0;
    for (;;) {
      const [x, y] = await Promise.all([a.runOnce(), b.runOnce()]);
      total += x + y;
      if (x + y === 0) break;
    }
    expect(total).toBe(20);
    expect([...seen].sort((p, q) => p - q)).toEqual([...Array(20).keys()]);
    expect(await outboxCounts(database.db)).toEqual({ pending: 0, sent: 20, failed: 0 });
    await Promise.all([a.stop(), b.stop()]);
  });

  it('polls on its own and drains a backlog larger than one batch; stop() waits for the round', async () => {
    const seen: number[] = [];
    for (let n = 0; n < 7; n++) await enqueue(database.db, { kind: 'mail', payload: { n } }, new Date(Date.now() - 1000));
    const worker = startOutboxWorker({ db: database.db, intervalMs: 20, batchSize: 2, handlers: { mail: async (p) => void seen.push((p as { n: number }).n) } });
    await expect.poll(() => seen.length, { timeout: 5_000 }).toBe(7);
    await worker.stop();
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]); // oldest first
  });
});

describe('admin reads', () => {
  it('lists newest first with filters and pages, and counts per status', async () => {
    const unit = '0195a3c4-0000-7000-8000-000000000001';
    for (let i = 0; i < 5; i++) await enqueue(database.db, { kind: 'mail', payload: { i }, unitId: unit }, new Date(T0.getTime() + i * 1000));
    await enqueue(database.db, { kind: 'edxml', payload: {} }, T0);

    const p1 = await listOutbox(database.db, { kind: 'mail', pageSize: 2 });
    expect(p1).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(p1.items.map((m) => (m.payload as { i: number }).i)).toEqual([4, 3]);
    const p3 = await listOutbox(database.db, { kind: 'mail', pageSize: 2, page: 3 });
    expect(p3.items.map((m) => (m.payload as { i: number }).i)).toEqual([0]);
    expect((await listOutbox(database.db, { unitId: unit })).total).toBe(5);
    expect((await listOutbox(database.db, { status: 'sent' })).total).toBe(0);
    expect((await listOutbox(database.db, { pageSize: 10_000 })).pageSize).toBe(200);
    expect(await outboxCounts(database.db)).toEqual({ pending: 6, sent: 0, failed: 0 });
  });

  it('has a back-off schedule of 1 min, 5 min, 30 min, 2 h, … that stops growing', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n) / MIN)).toEqual([1, 5, 30, 120]);
    expect(backoffDelay(50)).toBe(backoffDelay(6));
  });
});
