import { sql } from 'drizzle-orm';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';
import { outgoingRoutes } from './routes-outgoing.js';

/**
 * "A commune cannot read or change the other commune's outgoing documents through any endpoint."
 * vanthu.xa2 (clerk of Phú Lộc) against Tân An's documents in every state: draft, in review, approved,
 * issued (and sent to the province, so there is a delivery in another unit's queue). Every route of
 * routes-outgoing.ts must have a line below (a guard lists the plugin's routes).
 */

type Ids = { tanAn: string; draft: string; review: string; approved: string; issued: string; draftFile: string; mainFile: string; provinceDelivery: string; ownFile: string };
type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';
type Probe = { op: string; what: string; url: (x: Ids) => string; body?: (x: Ids) => unknown; status: number[] };

let t: TestContext;
const tok: Record<string, string> = {};
let ids: Ids;

const send = (who: string, method: Method, url: string, body?: unknown) =>
  t.app.inject({ method, url, headers: bearer(tok[who]), ...(body === undefined ? {} : { payload: body as object }) });
const sendProbe = (who: string, p: Probe) => send(who, p.op.split(' ')[0] as Method, p.url(ids), p.body?.(ids));

async function upload(who: string): Promise<string> {
  const d = await PDFDocument.create();
  d.addPage();
  d.setTitle(`isolation ${Math.random()}`);
  const content = Buffer.from(await d.save());
  const boundary = `----lt${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="tep.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.app.inject({ method: 'POST', url: '/api/files', headers: { ...bearer(tok[who]), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}
async function draft(recipients: unknown[] = []): Promise<{ id: string; fileId: string }> {
  const fileId = await upload('chuyenvien.xa');
  const res = await send('chuyenvien.xa', 'POST', '/api/documents/outgoing', { typeCode: 'CV', subject: 'Dự thảo nội bộ của Tân An', signerUserId: await t.userId('lanhdao.xa'), fileId, recipients });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id, fileId };
}
const step = async (who: string, id: string, action: string) => expect((await send(who, 'POST', `/api/documents/${id}/${action}`)).statusCode).toBe(200);

const NIL = '01900000-0000-7000-8000-000000000000';
const doc = (key: keyof Ids, suffix = '') => (x: Ids) => `/api/documents/${x[key]}${suffix}`;

/** Tân An's objects, as vanthu.xa2 of Phú Lộc tries them. */
const AGAINST_TAN_AN: Probe[] = [
  { op: 'GET /api/documents/{id}', what: 'read a draft', url: doc('draft'), status: [404] },
  { op: 'GET /api/documents/{id}', what: 'read an issued document', url: doc('issued'), status: [404] },
  { op: 'POST /api/documents/outgoing', what: 'draft for Tân An', url: () => '/api/documents/outgoing', body: (x) => ({ typeCode: 'CV', subject: 'Lấn sang', unitId: x.tanAn }), status: [400, 404] },
  { op: 'POST /api/documents/outgoing', what: 'replace Tân An’s document', url: () => '/api/documents/outgoing', body: (x) => ({ typeCode: 'CV', subject: 'Thay thế lấn sang', replacesDocumentId: x.issued }), status: [400, 404] },
  { op: 'PATCH /api/documents/{id}', what: 'edit a draft', url: doc('draft'), body: () => ({ subject: 'Đã bị sửa' }), status: [404] },
  { op: 'POST /api/documents/{id}/draft-files', what: 'add a draft version', url: doc('draft', '/draft-files'), body: (x) => ({ fileId: x.ownFile }), status: [404] },
  { op: 'POST /api/documents/{id}/submit', what: 'submit a draft', url: doc('draft', '/submit'), status: [404] },
  { op: 'POST /api/documents/{id}/approve', what: 'approve in review', url: doc('review', '/approve'), body: () => ({}), status: [404] },
  { op: 'POST /api/documents/{id}/return', what: 'return in review', url: doc('review', '/return'), body: () => ({ reason: 'Trả lại lấn sang' }), status: [404] },
  { op: 'POST /api/documents/{id}/signed-file', what: 'upload a signed scan', url: doc('approved', '/signed-file'), body: (x) => ({ fileId: x.ownFile }), status: [404] },
  { op: 'POST /api/documents/{id}/issue', what: 'issue it', url: doc('approved', '/issue'), body: () => ({}), status: [404] },
  { op: 'POST /api/documents/{id}/recall', what: 'recall it', url: doc('issued', '/recall'), body: () => ({ reason: 'Thu hồi lấn sang' }), status: [404] },
  // Digital signing (signing-routes.ts): nothing of another commune's document can be read, signed or sealed.
  { op: 'GET /api/documents/{id}/signing-options', what: 'see how it could be signed', url: doc('approved', '/signing-options'), status: [404] },
  { op: 'POST /api/documents/{id}/sign', what: 'sign it digitally', url: doc('approved', '/sign'), body: () => ({ credentialId: NIL, pin: '123456', placement: { placeholder: '[CHU_KY]' } }), status: [404] },
  { op: 'POST /api/documents/{id}/sign/external', what: 'prepare it for a USB token', url: doc('approved', '/sign/external'), body: () => ({ placement: { placeholder: '[CHU_KY]' } }), status: [404] },
  { op: 'POST /api/documents/{id}/sign/external/{pendingId}', what: 'finalise a token signature', url: doc('approved', `/sign/external/${NIL}`), body: () => ({ cms: 'A'.repeat(200) }), status: [404] },
  { op: 'POST /api/documents/{id}/signed-pdf', what: 'attach a PDF signed elsewhere', url: doc('approved', '/signed-pdf'), body: (x) => ({ fileId: x.ownFile }), status: [404] },
  { op: 'POST /api/documents/{id}/seal-issue', what: 'seal and issue it', url: doc('approved', '/seal-issue'), body: () => ({ credentialId: NIL, pin: '123456' }), status: [404] },
  { op: 'POST /api/documents/{id}/seal-issue/external', what: 'prepare its seal for a USB token', url: doc('approved', '/seal-issue/external'), body: () => ({}), status: [404] },
  { op: 'POST /api/documents/{id}/seal-issue/external/{pendingId}', what: 'finalise a token seal', url: doc('approved', `/seal-issue/external/${NIL}`), body: () => ({ cms: 'A'.repeat(200) }), status: [404] },
  { op: 'GET /api/documents/{id}/signatures', what: 'read its signatures', url: doc('issued', '/signatures'), status: [404] },
  { op: 'GET /api/deliveries/{id}', what: 'preview the province’s delivery', url: (x) => `/api/deliveries/${x.provinceDelivery}`, status: [404] },
  { op: 'POST /api/deliveries/{id}/accept', what: 'accept the province’s delivery', url: (x) => `/api/deliveries/${x.provinceDelivery}/accept`, body: () => ({}), status: [404] },
  { op: 'POST /api/deliveries/{id}/refuse', what: 'refuse the province’s delivery', url: (x) => `/api/deliveries/${x.provinceDelivery}/refuse`, body: () => ({ reason: 'Từ chối lấn sang' }), status: [404] },
  { op: 'GET /api/documents/signers', what: 'list who signs for Tân An', url: (x) => `/api/documents/signers?unitId=${x.tanAn}`, status: [404] },
  { op: 'GET /api/review-config/{unitId}', what: 'read the review chain', url: (x) => `/api/review-config/${x.tanAn}`, status: [404] },
  { op: 'PUT /api/review-config/{unitId}', what: 'change the review chain', url: (x) => `/api/review-config/${x.tanAn}`, body: () => ({ steps: ['approve'] }), status: [404] },
  { op: 'GET /api/files/{id}', what: 'download a draft file', url: (x) => `/api/files/${x.draftFile}`, status: [404] },
  { op: 'GET /api/files/{id}', what: 'download the file sent to the province', url: (x) => `/api/files/${x.mainFile}`, status: [404] },
  // Unknown ids answer like other communes' ids.
  { op: 'GET /api/deliveries/{id}', what: 'preview an unknown delivery', url: () => `/api/deliveries/${NIL}`, status: [404] },
  { op: 'POST /api/documents/{id}/issue', what: 'issue an unknown document', url: () => `/api/documents/${NIL}/issue`, status: [404] },
];

/** Lists: 200, never containing Tân An's documents or the province's deliveries. */
const LISTS = ['/api/deliveries', '/api/deliveries?status=accepted', '/api/deliveries?status=refused', '/api/deliveries?status=recalled', '/api/documents?box=outgoing', '/api/documents?box=all&q=noi%20bo'];

/** Everything of Tân An's outgoing documents that a write could touch, as stored. */
async function tanAnSnapshot() {
  const db = t.database.db;
  const mine = sql`(SELECT id FROM documents WHERE unit_id = ${ids.tanAn})`;
  return {
    documents: await queryRows(db, sql`SELECT * FROM documents WHERE unit_id = ${ids.tanAn} ORDER BY id`),
    files: await queryRows(db, sql`SELECT * FROM document_files WHERE document_id IN ${mine} ORDER BY id`),
    reviews: await queryRows(db, sql`SELECT * FROM document_reviews WHERE document_id IN ${mine} ORDER BY id`),
    recipients: await queryRows(db, sql`SELECT * FROM document_recipients WHERE document_id IN ${mine} ORDER BY id`),
    events: await queryRows(db, sql`SELECT id FROM document_events WHERE document_id IN ${mine} ORDER BY id`),
    settings: await queryRows(db, sql`SELECT key, value FROM settings ORDER BY key`),
  };
}

beforeAll(async () => {
  t = await createTestApp();
  for (const u of ['chuyenvien.xa', 'lanhdao.xa', 'vanthu.xa', 'vanthu.xa2', 'vanthu.tinh', 'congdan']) tok[u] = await t.login(u);
  const tanAn = await t.unitId('000.01.31.H99');
  const d1 = await draft();
  const d2 = await draft();
  await step('chuyenvien.xa', d2.id, 'submit');
  const d3 = await draft();
  await step('chuyenvien.xa', d3.id, 'submit');
  await step('lanhdao.xa', d3.id, 'approve');
  const d4 = await draft([{ kind: 'unit', unitId: await t.unitId('000.00.00.H99') }]);
  await step('chuyenvien.xa', d4.id, 'submit');
  await step('lanhdao.xa', d4.id, 'approve');
  await step('vanthu.xa', d4.id, 'issue');
  const queue = (await send('vanthu.tinh', 'GET', '/api/deliveries')).json().items as { id: string; documentId: string }[];
  ids = {
    tanAn,
    draft: d1.id,
    review: d2.id,
    approved: d3.id,
    issued: d4.id,
    draftFile: d1.fileId,
    mainFile: d4.fileId,
    provinceDelivery: queue.find((q) => q.documentId === d4.id)!.id,
    ownFile: await upload('vanthu.xa2'),
  };
});
afterAll(() => t.close());

describe('vanthu.xa2 (Phú Lộc) against Tân An’s outgoing documents', () => {
  let before: Awaited<ReturnType<typeof tanAnSnapshot>>;
  beforeAll(async () => {
    before = await tanAnSnapshot();
  });

  it.each(AGAINST_TAN_AN)('$op — $what → $status', async (probe) => {
    const res = await sendProbe('vanthu.xa2', probe);
    expect(probe.status, res.body).toContain(res.statusCode);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().status).toBe(res.statusCode);
    // The answer names nothing of Tân An.
    expect(res.body).not.toMatch(/Tân An|Dự thảo nội bộ|chuyenvien\.xa|Hoàng Văn Nam/);
    if (res.statusCode === 404) expect(res.json().title).toBe('Không tìm thấy');
  });

  it.each(LISTS)('GET %s never lists them', async (url) => {
    const res = await send('vanthu.xa2', 'GET', url);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { id: string; documentId?: string; unitId?: string }[];
    for (const item of items) {
      expect([ids.draft, ids.review, ids.approved, ids.issued, ids.provinceDelivery]).not.toContain(item.id);
      if (item.documentId) expect(item.documentId).not.toBe(ids.issued);
      if (item.unitId) expect(item.unitId).not.toBe(ids.tanAn);
    }
  });

  it('the same reads succeed for those entitled (the probes are not vacuous)', async () => {
    expect((await send('vanthu.xa', 'GET', `/api/documents/${ids.draft}`)).statusCode).toBe(200);
    expect((await send('vanthu.tinh', 'GET', `/api/deliveries/${ids.provinceDelivery}`)).statusCode).toBe(200);
    expect((await send('vanthu.tinh', 'GET', `/api/files/${ids.mainFile}`)).statusCode).toBe(200);
    expect((await send('chuyenvien.xa', 'GET', `/api/review-config/${ids.tanAn}`)).statusCode).toBe(200);
  });

  it('changed nothing of Tân An, and left no audit record but the sign-in and its own upload', async () => {
    expect(await tanAnSnapshot()).toEqual(before);
    const actions = await queryRows<{ action: string }>(t.database.db, sql`SELECT DISTINCT action FROM audit_log WHERE actor_id = ${await t.userId('vanthu.xa2')} ORDER BY action`);
    expect(actions.map((a) => a.action)).toEqual(['auth.login', 'file.upload']);
  });
});

describe('a citizen token on the outgoing endpoints', () => {
  it.each(AGAINST_TAN_AN.filter((p) => !p.op.includes('/api/files/')))('$op → 403', async (probe) => {
    const res = await sendProbe('congdan', probe);
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().detail).toBe('Chức năng này dành cho cán bộ, công chức.');
  });
  it('GET /api/deliveries → 403', async () => {
    expect((await send('congdan', 'GET', '/api/deliveries')).statusCode).toBe(403);
  });
});

describe('guard', () => {
  it('every route of routes-outgoing.ts has an isolation probe', async () => {
    const ops: string[] = [];
    const f = Fastify();
    f.setValidatorCompiler(validatorCompiler);
    f.setSerializerCompiler(serializerCompiler);
    f.addHook('onRoute', (r) => {
      for (const m of [r.method].flat()) if (m !== 'HEAD') ops.push(`${m} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
    });
    await f.register(outgoingRoutes);
    await f.ready();
    await f.close();
    const probed = new Set([...AGAINST_TAN_AN.map((p) => p.op), ...LISTS.map((u) => `GET ${u.split('?')[0]}`)]);
    expect(ops.length).toBeGreaterThan(10);
    expect(ops.filter((o) => !probed.has(o))).toEqual([]);
  });
});
