import { sql } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock/index.js';
import { queryRows } from '../../core/db/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';

/**
 * Recall (thu hồi) and replacement. Phú Lộc gets a chairman (lanhdao.xa2) and a specialist
 * (chuyenvien.xa2) so an accepted document can be presented, assigned and sit in an inbox before the
 * sender recalls it.
 */

const clock = fixedClock(new Date('2026-05-12T02:00:00Z'));
let t: TestContext;
const tok: Record<string, string> = {};
let ids: { tanAn: string; phuLoc: string; province: string; leaderXa: string; leaderXa2: string; specialistXa2: string };

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';
const call = (who: string, method: Method, url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: bearer(tok[who]), ...(payload === undefined ? {} : { payload: payload as object }) });
const OUTGOING_ACTIONS = ['edit', 'upload_draft', 'submit', 'initial', 'approve', 'return', 'upload_signed', 'issue', 'recall', 'replace'];
const actions = (d: { allowedActions: string[] }) => d.allowedActions.filter((a) => OUTGOING_ACTIONS.includes(a));

async function upload(who: string): Promise<string> {
  const d = await PDFDocument.create();
  d.addPage();
  d.setTitle(`recall ${Math.random()}`);
  const content = Buffer.from(await d.save());
  const boundary = `----lt${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="van-ban.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.app.inject({ method: 'POST', url: '/api/files', headers: { ...bearer(tok[who]), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

async function issued(body: Record<string, unknown>): Promise<{ id: string; numberSymbol: string }> {
  const created = await call('chuyenvien.xa', 'POST', '/api/documents/outgoing', { typeCode: 'CV', subject: 'Về việc tổ chức tập huấn', signerUserId: ids.leaderXa, fileId: await upload('chuyenvien.xa'), ...body });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id;
  expect((await call('chuyenvien.xa', 'POST', `/api/documents/${id}/submit`)).statusCode).toBe(200);
  expect((await call('lanhdao.xa', 'POST', `/api/documents/${id}/approve`)).statusCode).toBe(200);
  const res = await call('vanthu.xa', 'POST', `/api/documents/${id}/issue`);
  expect(res.statusCode, res.body).toBe(200);
  return { id, numberSymbol: res.json().numberSymbol };
}
const deliveries = async (who: string, documentId: string, status: string) =>
  ((await call(who, 'GET', `/api/deliveries?status=${status}&pageSize=200`)).json().items as { id: string; documentId: string; status: string }[]).filter((i) => i.documentId === documentId);
const get = async (who: string, id: string) => {
  const res = await call(who, 'GET', `/api/documents/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

beforeAll(async () => {
  t = await createTestApp({ clock });
  tok.admin = await t.login('admin');
  const phuLoc = await t.unitId('000.02.31.H99');
  const people = [
    { username: 'lanhdao.xa2', fullName: 'Trịnh Văn Lộc', positionTitle: 'Chủ tịch UBND xã', role: 'leader' },
    { username: 'chuyenvien.xa2', fullName: 'Lý Thị Hạnh', positionTitle: 'Công chức Văn phòng – Thống kê', role: 'specialist' },
  ];
  const created: Record<string, string> = {};
  for (const p of people) {
    const res = await call('admin', 'POST', '/api/officials', { username: p.username, fullName: p.fullName, positionTitle: p.positionTitle, unitId: phuLoc, password: 'PhuLoc#2026abc', roles: [{ unitId: phuLoc, role: p.role }] });
    expect(res.statusCode, res.body).toBe(201);
    created[p.username] = res.json().id;
    tok[p.username] = await t.login(p.username, 'PhuLoc#2026abc');
  }
  for (const u of ['chuyenvien.xa', 'lanhdao.xa', 'vanthu.xa', 'vanthu.xa2', 'vanthu.tinh']) tok[u] = await t.login(u);
  ids = {
    tanAn: await t.unitId('000.01.31.H99'),
    phuLoc,
    province: await t.unitId('000.00.00.H99'),
    leaderXa: await t.userId('lanhdao.xa'),
    leaderXa2: created['lanhdao.xa2'],
    specialistXa2: created['chuyenvien.xa2'],
  };
});
afterAll(() => t.close());

describe('POST /api/documents/:id/recall', () => {
  it('freezes the document, takes it out of the recipients’ queues and inboxes, and tells e-mail recipients', async () => {
    const sent = await issued({
      subject: 'Về việc tập huấn nghiệp vụ hộ tịch',
      recipients: [
        { kind: 'unit', unitId: ids.phuLoc },
        { kind: 'unit', unitId: ids.province },
        { kind: 'email', email: 'tu.phap@example.vn', name: 'Phòng Tư pháp' },
        { kind: 'external', agencyCode: '000.00.00.G03', name: 'Bộ Tư pháp' },
      ],
    });
    // Phú Lộc accepts, presents it to its chairman who assigns a specialist: it is in that inbox.
    const [item] = await deliveries('vanthu.xa2', sent.id, 'arrived');
    const accepted = await call('vanthu.xa2', 'POST', `/api/deliveries/${item.id}/accept`, {});
    expect(accepted.statusCode, accepted.body).toBe(200);
    const incomingId = accepted.json().incomingDocumentId;
    expect((await call('vanthu.xa2', 'POST', `/api/documents/${incomingId}/present`, { leaderId: ids.leaderXa2 })).statusCode).toBe(200);
    const assigned = await call('lanhdao.xa2', 'POST', `/api/documents/${incomingId}/assign`, { leadUserId: ids.specialistXa2, instruction: 'Cử cán bộ tham dự', dueDate: '2026-05-20' });
    expect(assigned.statusCode, assigned.body).toBe(200);
    const inbox = async () => ((await call('chuyenvien.xa2', 'GET', '/api/documents?box=assigned&pageSize=50')).json().items as { id: string }[]).map((i) => i.id);
    expect(await inbox()).toContain(incomingId);

    // Reason mandatory; only the issuing unit's clerk or the signer; others do not even see it.
    for (const body of [{}, { reason: '' }, { reason: '   ' }]) expect((await call('vanthu.xa', 'POST', `/api/documents/${sent.id}/recall`, body)).statusCode).toBe(400);
    expect((await call('chuyenvien.xa', 'POST', `/api/documents/${sent.id}/recall`, { reason: 'Sai' })).statusCode).toBe(403);
    expect((await call('vanthu.xa2', 'POST', `/api/documents/${sent.id}/recall`, { reason: 'Sai' })).statusCode).toBe(404);
    expect(actions(await get('vanthu.xa', sent.id))).toEqual(['recall', 'replace']);

    const recalled = await call('vanthu.xa', 'POST', `/api/documents/${sent.id}/recall`, { reason: 'Sai thời gian tổ chức tập huấn' });
    expect(recalled.statusCode, recalled.body).toBe(200);
    const d = recalled.json();
    expect(d).toMatchObject({ status: 'recalled', recallReason: 'Sai thời gian tổ chức tập huấn', recalledAt: '2026-05-12T02:00:00.000Z' });
    expect(d.recipients.map((r: { status: string }) => r.status)).toEqual(['recalled', 'recalled', 'recalled', 'recalled']);
    expect(d.timeline.at(-1)).toMatchObject({ action: 'recalled', text: 'Sai thời gian tổ chức tập huấn' });
    expect(actions(d)).toEqual(['replace']);

    // Phú Lộc: the incoming document is recalled, its assignment cancelled, the inbox no longer lists it.
    const incoming = await get('vanthu.xa2', incomingId);
    expect(incoming.status).toBe('recalled');
    expect(incoming.assignments.map((a: { status: string }) => a.status)).toEqual(['cancelled']);
    expect(incoming.timeline.at(-1)).toMatchObject({ action: 'recall_received', text: `Nơi gửi đã thu hồi văn bản số ${sent.numberSymbol}. Lý do: Sai thời gian tổ chức tập huấn` });
    expect(await inbox()).not.toContain(incomingId);
    // Every assignment of it carries the recall (inbox lists and counters read this flag, not the document).
    const flags = await queryRows<{ document_recalled: boolean }>(t.database.db, sql`SELECT document_recalled FROM assignments WHERE document_id = ${incomingId}`);
    expect(flags.length).toBeGreaterThan(0);
    expect(flags.every((f) => f.document_recalled)).toBe(true);

    // The province had not accepted yet: the queue item is marked recalled, without files, and cannot be accepted.
    expect(await deliveries('vanthu.tinh', sent.id, 'arrived')).toEqual([]);
    const [gone] = await deliveries('vanthu.tinh', sent.id, 'recalled');
    const preview = (await call('vanthu.tinh', 'GET', `/api/deliveries/${gone.id}`)).json();
    expect(preview).toMatchObject({ status: 'recalled', recallReason: 'Sai thời gian tổ chức tập huấn', files: [] });
    const late = await call('vanthu.tinh', 'POST', `/api/deliveries/${gone.id}/accept`);
    expect(late.statusCode).toBe(409);
    expect(late.json().detail).toContain('thu hồi');
    const mainFile = d.files.find((f: { role: string }) => f.role === 'main').fileId;
    expect((await call('vanthu.tinh', 'GET', `/api/files/${mainFile}`)).statusCode).toBe(404);

    // The e-mail recipient gets a recall message through the outbox.
    const mails = await queryRows<{ payload: { to: string; subject: string; text: string } }>(t.database.db, sql`SELECT payload FROM outbox WHERE kind = 'mail' AND payload->>'to' = 'tu.phap@example.vn' ORDER BY created_at`);
    expect(mails).toHaveLength(2);
    expect(mails[1].payload.subject).toBe(`Thu hồi văn bản số ${sent.numberSymbol} ngày 12/05/2026 của Ủy ban nhân dân xã Tân An`);
    expect(mails[1].payload.text).toContain('Lý do thu hồi: Sai thời gian tổ chức tập huấn');
  });

  it('refuses every change of a recalled document with 409', async () => {
    const sent = await issued({ subject: 'Văn bản sẽ thu hồi' });
    expect((await call('lanhdao.xa', 'POST', `/api/documents/${sent.id}/recall`, { reason: 'Người ký thu hồi' })).statusCode).toBe(200);
    const fileId = await upload('vanthu.xa');
    const probes: [string, string, string, unknown][] = [
      ['chuyenvien.xa', 'PATCH', '', { subject: 'Sửa' }],
      ['chuyenvien.xa', 'POST', '/draft-files', { fileId: await upload('chuyenvien.xa') }],
      ['chuyenvien.xa', 'POST', '/submit', undefined],
      ['lanhdao.xa', 'POST', '/approve', {}],
      ['lanhdao.xa', 'POST', '/return', { reason: 'Trả lại' }],
      ['vanthu.xa', 'POST', '/signed-file', { fileId }],
      ['vanthu.xa', 'POST', '/issue', {}],
      ['vanthu.xa', 'POST', '/recall', { reason: 'Lần nữa' }],
    ];
    for (const [who, method, path, body] of probes) {
      const res = await call(who, method as Method, `/api/documents/${sent.id}${path}`, body);
      expect(res.statusCode, `${method} ${path}: ${res.body}`).toBe(409);
    }
    const d = await get('vanthu.xa', sent.id);
    expect(d.status).toBe('recalled');
    expect(d.timeline.filter((e: { action: string }) => e.action === 'recalled')).toHaveLength(1);
  });

  it('leaves a refusal as it was, and recalls only issued documents', async () => {
    const sent = await issued({ subject: 'Gửi nhầm', recipients: [{ kind: 'unit', unitId: ids.phuLoc }] });
    const [item] = await deliveries('vanthu.xa2', sent.id, 'arrived');
    expect((await call('vanthu.xa2', 'POST', `/api/deliveries/${item.id}/refuse`, { reason: 'Không đúng nơi nhận' })).statusCode).toBe(200);
    const d = (await call('vanthu.xa', 'POST', `/api/documents/${sent.id}/recall`, { reason: 'Gửi nhầm nơi nhận' })).json();
    expect(d.recipients).toEqual([expect.objectContaining({ status: 'refused', reason: 'Không đúng nơi nhận' })]);

    const draft = (await call('chuyenvien.xa', 'POST', '/api/documents/outgoing', { typeCode: 'CV', subject: 'Dự thảo' })).json().id;
    expect((await call('vanthu.xa', 'POST', `/api/documents/${draft}/recall`, { reason: 'x' })).statusCode).toBe(409);
    expect((await call('vanthu.xa', 'POST', '/api/documents/01900000-0000-7000-8000-000000000000/recall', { reason: 'x' })).statusCode).toBe(404);
  });
});

describe('replacement documents', () => {
  it('links the replacement and the replaced document both ways and marks the old one when the new one is issued', async () => {
    const old = await issued({ subject: 'Kế hoạch tập huấn (bản có sai sót)' });
    await call('vanthu.xa', 'POST', `/api/documents/${old.id}/recall`, { reason: 'Sai nội dung' });
    expect(actions(await get('chuyenvien.xa', old.id))).toEqual(['replace']);

    const replacement = await issued({ subject: 'Kế hoạch tập huấn (thay thế)', replacesDocumentId: old.id });
    const fresh = await get('chuyenvien.xa', replacement.id);
    expect(fresh.replacesDocumentId).toBe(old.id);
    const before = await get('vanthu.xa', old.id);
    expect(before.replacedByDocumentId).toBe(replacement.id);
    expect(actions(before)).toEqual([]);
    expect(before.timeline.at(-1)).toMatchObject({ action: 'replaced', text: `Được thay thế bằng văn bản số ${replacement.numberSymbol} ngày 12/05/2026` });

    // One replacement per document; only the unit's own issued documents can be replaced.
    const second = await call('chuyenvien.xa', 'POST', '/api/documents/outgoing', { typeCode: 'CV', subject: 'Thay thế lần hai', replacesDocumentId: old.id });
    expect(second.statusCode).toBe(409);
    expect(second.json().type).toContain('already-replaced');
    const province = await call('vanthu.tinh', 'POST', '/api/documents/outgoing', { typeCode: 'CV', subject: 'Thay văn bản của xã', replacesDocumentId: replacement.id });
    expect(province.statusCode).toBe(400);
    expect(province.json().errors[0].field).toBe('replacesDocumentId');
  });
});
