import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../core/audit/index.js';
import { queryRows } from '../../core/db/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';
import { seedDemoDocuments } from './demo.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('demo documents', () => {
  it('fills the demo inboxes through the real services, once', async () => {
    expect(await seedDemoDocuments(t.database, t.app.fileStore, new Date())).toBe(true);
    expect(await seedDemoDocuments(t.database, t.app.fileStore, new Date())).toBe(false);
    const rows = await queryRows<{ status: string; n: number }>(t.database.db, sql`SELECT status, count(*)::int AS n FROM documents GROUP BY status ORDER BY status`);
    expect(Object.fromEntries(rows.map((r) => [r.status, r.n]))).toEqual({ completed: 1, in_progress: 1, in_review: 1, issued: 1, presented: 1, registered: 2 });
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
  });

  it('gives each demo person something to do', async () => {
    const counts = async (u: string) => (await t.app.inject({ method: 'GET', url: '/api/documents/counts', headers: bearer(await t.login(u)) })).json();
    expect(await counts('lanhdao.xa')).toMatchObject({ toAssign: 1, toReview: 1 });
    expect(await counts('chuyenvien.xa')).toMatchObject({ inProgress: 1, doneOnTime: 1 });
    expect(await counts('vanthu.xa2')).toMatchObject({ toAccept: 1 });
    const list = (await t.app.inject({ method: 'GET', url: '/api/documents?box=incoming&q=khai%20sinh', headers: bearer(await t.login('vanthu.xa')) })).json();
    expect(list.items.map((d: { numberSymbol: string }) => d.numberSymbol)).toEqual(['125/STP-HCTP']);
    const out = (await t.app.inject({ method: 'GET', url: '/api/documents?box=outgoing', headers: bearer(await t.login('vanthu.xa')) })).json();
    expect(out.items.map((d: { numberSymbol: string | null }) => d.numberSymbol)).toContain('01/UBND');
  });
});
