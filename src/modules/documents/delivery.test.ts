import { sql } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock/index.js';
import { queryRows } from '../../core/db/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';

/**
 * The journey between two communes: chuyenvien.xa drafts → lanhdao.xa approves → vanthu.xa issues to
 * Phú Lộc (000.02.31.H99) and an e-mail address → vanthu.xa2 finds it in the queue (chờ tiếp nhận),
 * previews it, downloads its file and accepts it → Phú Lộc has an incoming document with the metadata
 * prefilled and the sender sees 'accepted'. Also refusals, the queue order and who may see what.
 */

const clock = fixedClock(new Date('2026-04-10T01:00:00Z'));
let t: TestContext;
const tok: Record<string, string> = {};
let ids: { tanAn: string; phuLoc: string; province: string; office: string; leaderXa: string };

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';
const call = (who: string, method: Method, url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: bearer(tok[who]), ...(payload === undefined ? {} : { payload: payload as object }) });

async function upload(who: string, content: Buffer, filename: string): Promise<{ id: string; sha256: string }> {
  const boundary = `----lt${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.app.inject({ method: 'POST', url: '/api/files', headers: { ...bearer(tok[who]), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
async function pdf(): Promise<Buffer> {
  const d = await PDFDocument.create();
  d.addPage();
  d.setTitle(`delivery ${Math.random()}`);
  return Buffer.from(await d.save());
}

/** Drafted by chuyenvien.xa (or another Tân An drafter), approved by lanhdao.xa, issued by vanthu.xa. */
async function issued(body: Record<string, unknown>, drafter = 'chuyenvien.xa'): Promise<{ id: string; numberSymbol: string; fileId: string | null }> {
  const secret = body.secrecy && body.secrecy !== 'none';
  const fileId = secret ? null : (await upload(drafter, await pdf(), 'cong-van.pdf')).id;
  const created = await call(drafter, 'POST', '/api/documents/outgoing', { typeCode: 'CV', subject: 'Về việc phối hợp rà soát hộ nghèo', signerUserId: ids.leaderXa, fileId, ...body });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id;
  expect((await call(drafter, 'POST', `/api/documents/${id}/submit`)).statusCode).toBe(200);
  expect((await call('lanhdao.xa', 'POST', `/api/documents/${id}/approve`)).statusCode).toBe(200);
  clock.advance(60_000);
  const res = await call('vanthu.xa', 'POST', `/api/documents/${id}/issue`);
  expect(res.statusCode, res.body).toBe(200);
  return { id, numberSymbol: res.json().numberSymbol, fileId };
}
type Delivery = { id: string; documentId: string; status: string; subject: string; urgency: string; numberSymbol: string; reason: string | null; incomingDocumentId: string | null };
const queue = async (who: string, query = '') => {
  const res = await call(who, 'GET', `/api/deliveries${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: Delivery[]; total: number; page: number; pageSize: number };
};
const deliveryOf = async (who: string, documentId: string, status = 'arrived') => (await queue(who, `?status=${status}&pageSize=200`)).items.find((d) => d.documentId === documentId);
const recipientsOf = async (documentId: string) => (await call('vanthu.xa', 'GET', `/api/documents/${documentId}`)).json().recipients as { name: string; status: string; reason: string | null; incomingDocumentId: string | null }[];

beforeAll(async () => {
  t = await createTestApp({ clock });
  for (const u of ['chuyenvien.xa', 'lanhdao.xa', 'vanthu.xa', 'vanthu.xa2', 'vanthu.tinh', 'chuyenvien.tinh']) tok[u] = await t.login(u);
  ids = {
    tanAn: await t.unitId('000.01.31.H99'),
    phuLoc: await t.unitId('000.02.31.H99'),
    province: await t.unitId('000.00.00.H99'),
    office: await t.unitId('000.00.01.H99'),
    leaderXa: await t.userId('lanhdao.xa'),
  };
});
afterAll(() => t.close());

describe('from Tân An to Phú Lộc', () => {
  it('arrives in the clerk’s queue, is previewed, downloaded and accepted as an incoming document with prefilled metadata', async () => {
    const sent = await issued({
      subject: 'Về việc phối hợp tổ chức Ngày hội đại đoàn kết toàn dân tộc',
      urgency: 'urgent',
      dueDate: '2026-04-30',
      recipients: [
        { kind: 'unit', unitId: ids.phuLoc },
        { kind: 'email', email: 'mat.tran@example.vn', name: 'Ủy ban MTTQ xã Phú Lộc' },
      ],
    });
    // Before accepting, Phú Lộc cannot open the sender's document itself: only the delivery.
    expect((await call('vanthu.xa2', 'GET', `/api/documents/${sent.id}`)).statusCode).toBe(404);
    const item = await deliveryOf('vanthu.xa2', sent.id);
    expect(item).toMatchObject({
      status: 'arrived',
      recipientName: 'Ủy ban nhân dân xã Phú Lộc',
      receivingUnitId: ids.phuLoc,
      senderName: 'Ủy ban nhân dân xã Tân An',
      senderCode: '000.01.31.H99',
      typeName: 'Công văn',
      numberSymbol: sent.numberSymbol,
      issuedDate: '2026-04-10',
      subject: 'Về việc phối hợp tổ chức Ngày hội đại đoàn kết toàn dân tộc',
      urgency: 'urgent',
      signerName: 'Đặng Văn Bình',
      dueDate: '2026-04-30',
    });

    const preview = await call('vanthu.xa2', 'GET', `/api/deliveries/${item!.id}`);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().files).toEqual([expect.objectContaining({ fileId: sent.fileId, role: 'main', contentType: 'application/pdf' })]);
    const download = await call('vanthu.xa2', 'GET', `/api/files/${sent.fileId}`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // Others do not get the file: a clerk of a unit it was not sent to.
    expect((await call('vanthu.tinh', 'GET', `/api/files/${sent.fileId}`)).statusCode).toBe(404);

    const accepted = await call('vanthu.xa2', 'POST', `/api/deliveries/${item!.id}/accept`, { dueDate: '2026-04-25' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const { incomingDocumentId, arrivalNumber } = accepted.json();
    expect(arrivalNumber).toBe(1);

    const incoming = await call('vanthu.xa2', 'GET', `/api/documents/${incomingDocumentId}`);
    expect(incoming.statusCode, incoming.body).toBe(200);
    expect(incoming.json()).toMatchObject({
      direction: 'incoming',
      status: 'registered',
      unitId: ids.phuLoc,
      arrivalNumber: 1,
      receivedVia: 'system',
      sourceDocumentId: sent.id,
      issuerName: 'Ủy ban nhân dân xã Tân An',
      issuerUnitId: ids.tanAn,
      issuerCode: '000.01.31.H99',
      numberSymbol: sent.numberSymbol,
      issuedDate: '2026-04-10',
      typeCode: 'CV',
      subject: 'Về việc phối hợp tổ chức Ngày hội đại đoàn kết toàn dân tộc',
      signerName: 'Đặng Văn Bình',
      signerPosition: 'Chủ tịch UBND xã',
      urgency: 'urgent',
      dueDate: '2026-04-25',
    });
    // The same file is referenced, not copied.
    expect(incoming.json().files.map((f: { fileId: string; role: string }) => [f.fileId, f.role])).toEqual([[sent.fileId, 'main']]);
    const [copies] = await queryRows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM files WHERE sha256 = (SELECT sha256 FROM files WHERE id = ${sent.fileId})`);
    expect(copies.n).toBe(1);

    // The sender sees the status and the step on its timeline.
    const recipients = await recipientsOf(sent.id);
    expect(recipients.find((r) => r.name === 'Ủy ban nhân dân xã Phú Lộc')).toMatchObject({ status: 'accepted', incomingDocumentId });
    expect(recipients.find((r) => r.name === 'Ủy ban MTTQ xã Phú Lộc')?.status).toBe('sent');
    const timeline = (await call('vanthu.xa', 'GET', `/api/documents/${sent.id}`)).json().timeline as { action: string; text: string; actorName: string }[];
    expect(timeline.at(-1)).toMatchObject({ action: 'accepted', text: 'Ủy ban nhân dân xã Phú Lộc đã tiếp nhận, số đến 1', actorName: 'Bùi Thị Mai' });

    // The e-mail recipient's message waits in the outbox with the PDF referenced by its hash.
    const [mail] = await queryRows<{ payload: { to: string; attachments: { sha256: string; contentType: string }[] } }>(t.database.db, sql`SELECT payload FROM outbox WHERE kind = 'mail' AND payload->>'to' = 'mat.tran@example.vn'`);
    const [file] = await queryRows<{ sha256: string }>(t.database.db, sql`SELECT sha256 FROM files WHERE id = ${sent.fileId}`);
    expect(mail.payload.attachments).toEqual([expect.objectContaining({ sha256: file.sha256, contentType: 'application/pdf' })]);

    // It left the queue (chờ tiếp nhận) and shows among the accepted ones; no second acceptance.
    expect(await deliveryOf('vanthu.xa2', sent.id)).toBeUndefined();
    expect((await deliveryOf('vanthu.xa2', sent.id, 'accepted'))?.incomingDocumentId).toBe(incomingDocumentId);
    const twice = await call('vanthu.xa2', 'POST', `/api/deliveries/${item!.id}/accept`);
    expect(twice.statusCode).toBe(409);
    expect((await call('vanthu.xa2', 'POST', `/api/deliveries/${item!.id}/refuse`, { reason: 'Nhầm' })).statusCode).toBe(409);
  });

  it('is refused with a mandatory reason that the sender sees', async () => {
    const sent = await issued({ subject: 'Về việc gửi nhầm nơi nhận', recipients: [{ kind: 'unit', unitId: ids.phuLoc }] });
    const item = (await deliveryOf('vanthu.xa2', sent.id))!;
    for (const body of [{}, { reason: '' }, { reason: '  ' }, { reason: 'x'.repeat(2001) }]) {
      const res = await call('vanthu.xa2', 'POST', `/api/deliveries/${item.id}/refuse`, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].field).toBe('reason');
    }
    const refused = await call('vanthu.xa2', 'POST', `/api/deliveries/${item.id}/refuse`, { reason: 'Văn bản không thuộc thẩm quyền xã Phú Lộc' });
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json()).toMatchObject({ status: 'refused', reason: 'Văn bản không thuộc thẩm quyền xã Phú Lộc' });
    expect((await recipientsOf(sent.id))[0]).toMatchObject({ status: 'refused', reason: 'Văn bản không thuộc thẩm quyền xã Phú Lộc' });
    const detail = (await call('vanthu.xa', 'GET', `/api/documents/${sent.id}`)).json();
    expect(detail.timeline.at(-1)).toMatchObject({ action: 'refused', text: 'Ủy ban nhân dân xã Phú Lộc từ chối nhận: Văn bản không thuộc thẩm quyền xã Phú Lộc' });
    expect((await call('vanthu.xa2', 'POST', `/api/deliveries/${item.id}/accept`)).statusCode).toBe(409);
    expect((await deliveryOf('vanthu.xa2', sent.id, 'refused'))?.id).toBe(item.id);
    const [n] = await queryRows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM documents WHERE source_document_id = ${sent.id}`);
    expect(n.n).toBe(0);
  });

  it('lists urgent documents first, then the newest, one page at a time', async () => {
    const before = (await queue('vanthu.xa2')).total;
    const a = await issued({ subject: 'Văn bản thường thứ nhất', recipients: [{ kind: 'unit', unitId: ids.phuLoc }] });
    const b = await issued({ subject: 'Văn bản hỏa tốc', urgency: 'flash', recipients: [{ kind: 'unit', unitId: ids.phuLoc }] });
    const c = await issued({ subject: 'Văn bản thường thứ hai', recipients: [{ kind: 'unit', unitId: ids.phuLoc }] });
    const all = await queue('vanthu.xa2', '?pageSize=200');
    expect(all.total).toBe(before + 3);
    expect(all.items.slice(0, 3).map((i) => i.documentId)).toEqual([b.id, c.id, a.id]);
    const page1 = await queue('vanthu.xa2', '?pageSize=2');
    const page2 = await queue('vanthu.xa2', '?pageSize=2&page=2');
    expect(page1.items).toHaveLength(2);
    expect(page2.page).toBe(2);
    expect(new Set([...page1.items, ...page2.items].map((i) => i.id)).size).toBe(page1.items.length + page2.items.length);
  });

  it('goes to the Office’s clerk when sent to the province, and becomes the Office’s incoming document', async () => {
    const sent = await issued({ subject: 'Báo cáo kết quả thực hiện nhiệm vụ quý I', typeCode: 'BC', recipients: [{ kind: 'unit', unitId: ids.province }] });
    const item = (await deliveryOf('vanthu.tinh', sent.id))!;
    expect(item).toMatchObject({ recipientName: 'Ủy ban nhân dân tỉnh Thái Hòa', receivingUnitId: ids.office, receivingUnitName: 'Văn phòng Ủy ban nhân dân tỉnh' });
    expect(await deliveryOf('vanthu.xa2', sent.id)).toBeUndefined();
    const res = await call('vanthu.tinh', 'POST', `/api/deliveries/${item.id}/accept`, {});
    expect(res.statusCode, res.body).toBe(200);
    const incoming = (await call('vanthu.tinh', 'GET', `/api/documents/${res.json().incomingDocumentId}`)).json();
    expect(incoming).toMatchObject({ unitId: ids.office, numberSymbol: sent.numberSymbol, typeCode: 'BC', dueDate: null });
  });

  it('carries only the metadata of a secret document', async () => {
    const sent = await issued({ subject: 'Về công tác bảo vệ bí mật nhà nước', secrecy: 'confidential', recipients: [{ kind: 'unit', unitId: ids.phuLoc }] }, 'vanthu.xa');
    const item = (await deliveryOf('vanthu.xa2', sent.id))!;
    expect(item.numberSymbol).toBe('01/UBND'); // the secret series
    expect((await call('vanthu.xa2', 'GET', `/api/deliveries/${item.id}`)).json().files).toEqual([]);
    const res = await call('vanthu.xa2', 'POST', `/api/deliveries/${item.id}/accept`);
    expect(res.statusCode, res.body).toBe(200);
    const incoming = (await call('vanthu.xa2', 'GET', `/api/documents/${res.json().incomingDocumentId}`)).json();
    expect(incoming).toMatchObject({ secrecy: 'confidential', files: [] });
    expect(incoming.secretNotice).toContain('không lưu tệp');
  });
});

describe('who sees the queue', () => {
  it('answers 404 outside the receiving units, an empty list to those who do not receive, 400 for bad queries', async () => {
    const sent = await issued({ subject: 'Chỉ gửi Phú Lộc', recipients: [{ kind: 'unit', unitId: ids.phuLoc }] });
    const item = (await deliveryOf('vanthu.xa2', sent.id))!;
    for (const who of ['vanthu.xa', 'chuyenvien.xa', 'lanhdao.xa', 'vanthu.tinh']) {
      expect((await call(who, 'GET', `/api/deliveries/${item.id}`)).statusCode, who).toBe(404);
      expect((await call(who, 'POST', `/api/deliveries/${item.id}/accept`)).statusCode, who).toBe(404);
      expect((await call(who, 'POST', `/api/deliveries/${item.id}/refuse`, { reason: 'Không phải của tôi' })).statusCode, who).toBe(404);
      expect((await queue(who, '?status=arrived&pageSize=200')).items.some((i) => i.id === item.id), who).toBe(false);
    }
    expect(await queue('chuyenvien.xa')).toEqual({ items: [], total: 0, page: 1, pageSize: 20 });
    for (const bad of ['01900000-0000-7000-8000-000000000000', 'khong-phai-uuid']) {
      expect((await call('vanthu.xa2', 'GET', `/api/deliveries/${bad}`)).statusCode).toBe(404);
      expect((await call('vanthu.xa2', 'POST', `/api/deliveries/${bad}/accept`)).statusCode).toBe(404);
    }
    for (const q of ['?status=done', '?page=0', '?pageSize=1000', '?page=abc']) expect((await call('vanthu.xa2', 'GET', `/api/deliveries${q}`)).statusCode, q).toBe(400);
    expect((await call('vanthu.xa2', 'POST', `/api/deliveries/${item.id}/accept`, { dueDate: '25/04/2026' })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/deliveries' })).statusCode).toBe(401);
    // Still waiting after all these refusals.
    expect((await deliveryOf('vanthu.xa2', sent.id))?.status).toBe('arrived');
  });
});
