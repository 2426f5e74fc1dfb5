import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../core/db/index.js';
import { enqueueMail } from '../../core/mail/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';

let t: TestContext;
let admin: string;
let clerk: string;
let id: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  clerk = await t.login('vanthu.xa');
  id = (await inTransaction(t.database.db, (tx) => enqueueMail(tx, { to: ['nhan@example.vn'], subject: 'Văn bản số 01/UBND', text: 'Kính gửi' }, {}, new Date())))!;
});
afterAll(async () => t.close());

describe('outbox administration', () => {
  it('lists queued mail with recipient, subject and counts for the system admin', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/admin/outbox?status=pending', headers: bearer(admin) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.counts.pending).toBe(1);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ id, kind: 'mail', status: 'pending', to: 'nhan@example.vn', subject: 'Văn bản số 01/UBND' });
  });

  it('hides the outbox from everyone else (404)', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/outbox', headers: bearer(clerk) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `/api/admin/outbox/${id}/retry`, headers: bearer(clerk) })).statusCode).toBe(404);
  });

  it('puts a failed message back in the queue, with an audit record, and refuses others', async () => {
    expect((await t.app.inject({ method: 'POST', url: `/api/admin/outbox/${id}/retry`, headers: bearer(admin) })).statusCode).toBe(409);
    await t.database.db.execute(sql`UPDATE outbox SET status = 'failed', attempts = 10, last_error = 'SMTP từ chối' WHERE id = ${id}`);
    const res = await t.app.inject({ method: 'POST', url: `/api/admin/outbox/${id}/retry`, headers: bearer(admin) });
    expect(res.statusCode).toBe(204);
    const list = (await t.app.inject({ method: 'GET', url: '/api/admin/outbox', headers: bearer(admin) })).json();
    expect(list.items[0]).toMatchObject({ status: 'pending', attempts: 0 });
    const audit = (await t.app.inject({ method: 'GET', url: '/api/audit?action=outbox.retry', headers: bearer(admin) })).json();
    expect(audit.items.some((a: { objectId: string }) => a.objectId === id)).toBe(true);
    expect((await t.app.inject({ method: 'POST', url: '/api/admin/outbox/khong-phai-id/retry', headers: bearer(admin) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/outbox?status=bogus', headers: bearer(admin) })).statusCode).toBe(400);
  });
});
