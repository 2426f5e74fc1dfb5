import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';

// LibreOffice is optional: the tests point LIBREOFFICE_PATH at nothing, at a stand-in `soffice` that writes a PDF
// where soffice would, or at one that fails (the real converter is tested in core/pdf).
const office = {
  dir: '',
  use(kind: 'missing' | 'working' | 'failing') {
    process.env.LIBREOFFICE_PATH = path.join(office.dir, kind === 'missing' ? 'no-such-soffice' : `${kind}-soffice`);
  },
};
const savedOfficePath = process.env.LIBREOFFICE_PATH;
beforeAll(async () => {
  office.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lienthong-outgoing-office-'));
  const d = await PDFDocument.create();
  d.addPage();
  d.setTitle('converted');
  fs.writeFileSync(path.join(office.dir, 'converted.pdf'), await d.save());
  const script = (name: string, body: string) => fs.writeFileSync(path.join(office.dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  // Like soffice: writes <outdir>/<input name>.pdf.
  script('working-soffice', `while [ $# -gt 1 ]; do [ "$1" = "--outdir" ] && out="$2"; shift; done\nbase=$(basename "$1"); cp '${path.join(office.dir, 'converted.pdf')}' "$out/\${base%.*}.pdf"`);
  script('failing-soffice', 'echo "Error: source file could not be loaded" >&2\nexit 1');
  office.use('missing');
});
afterAll(() => {
  if (savedOfficePath === undefined) delete process.env.LIBREOFFICE_PATH;
  else process.env.LIBREOFFICE_PATH = savedOfficePath;
  fs.rmSync(office.dir, { recursive: true, force: true });
});

let t: TestContext;
let drafter: string; // chuyenvien.xa (Tân An specialist)
let clerk: string; // vanthu.xa
let leader: string; // lanhdao.xa
let ids: { tanAn: string; phuLoc: string; leaderXa: string; leaderTinh: string; drafterXa: string; province: string };

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';
const call = (token: string, method: Method, url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });

/** The outgoing buttons (INCOMING adds its own, such as 'unread', to the same list). */
const OUTGOING_ACTIONS = ['edit', 'upload_draft', 'submit', 'initial', 'approve', 'return', 'upload_signed', 'issue', 'recall', 'replace'];
const actions = (d: { allowedActions: string[] }) => d.allowedActions.filter((a) => OUTGOING_ACTIONS.includes(a));

async function upload(token: string, content: Buffer, filename: string): Promise<{ id: string; sha256: string }> {
  const boundary = `----lt${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.app.inject({ method: 'POST', url: '/api/files', headers: { ...bearer(token), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
async function pdf(title: string): Promise<Buffer> {
  const d = await PDFDocument.create();
  d.addPage();
  d.setTitle(title);
  return Buffer.from(await d.save());
}
const docx = (s: string) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(`word/document.xml ${s}`)]);

const base = () => ({ typeCode: 'CV', subject: 'Về việc báo cáo tình hình dân số xã Tân An năm 2026', signerUserId: ids.leaderXa });

beforeAll(async () => {
  t = await createTestApp();
  [drafter, clerk, leader] = await Promise.all([t.login('chuyenvien.xa'), t.login('vanthu.xa'), t.login('lanhdao.xa')]);
  ids = {
    tanAn: await t.unitId('000.01.31.H99'),
    phuLoc: await t.unitId('000.02.31.H99'),
    province: await t.unitId('000.00.00.H99'),
    leaderXa: await t.userId('lanhdao.xa'),
    leaderTinh: await t.userId('lanhdao.tinh'),
    drafterXa: await t.userId('chuyenvien.xa'),
  };
});
afterAll(() => t.close());

describe('POST /api/documents/outgoing', () => {
  it('creates a draft with recipients of the three kinds, the signer filled from the directory and the first file version', async () => {
    const file = await upload(drafter, await pdf('v1'), 'du-thao.pdf');
    const res = await call(drafter, 'POST', '/api/documents/outgoing', {
      ...base(),
      contentSummary: 'Tổng hợp số liệu dân số',
      urgency: 'urgent',
      dueDate: '2026-12-31',
      fileId: file.id,
      recipients: [
        { kind: 'unit', unitId: ids.phuLoc },
        { kind: 'external', agencyCode: '000.00.00.g01', name: 'Bộ Nội vụ' },
        { kind: 'email', email: 'Hop.Thu@Example.vn', name: 'Ông Nguyễn Văn A' },
        { kind: 'unit', unitId: ids.phuLoc },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    expect(d).toMatchObject({
      direction: 'outgoing',
      status: 'draft',
      unitId: ids.tanAn,
      draftingUnitId: ids.tanAn,
      issuerName: 'Ủy ban nhân dân xã Tân An',
      issuerCode: '000.01.31.H99',
      signerUserId: ids.leaderXa,
      signerName: 'Đặng Văn Bình',
      signerPosition: 'Chủ tịch UBND xã',
      urgency: 'urgent',
      dueDate: '2026-12-31',
      codeNumber: null,
      warnings: [],
    });
    expect(d.files).toEqual([expect.objectContaining({ fileId: file.id, role: 'draft', version: 1 })]);
    // The same unit twice is one recipient; an agency code is upper-cased; e-mail lower-cased.
    expect(d.recipients.map((r: { kind: string; name: string; status: string }) => [r.kind, r.name, r.status]).sort()).toEqual([
      ['email', 'Ông Nguyễn Văn A', 'pending'],
      ['external', 'Bộ Nội vụ', 'pending'],
      ['unit', 'Ủy ban nhân dân xã Phú Lộc', 'pending'],
    ]);
    expect(d.recipients.find((r: { kind: string }) => r.kind === 'external').agencyCode).toBe('000.00.00.G01');
    expect(d.recipients.find((r: { kind: string }) => r.kind === 'email').email).toBe('hop.thu@example.vn');
    expect(d.timeline.map((e: { action: string }) => e.action)).toEqual(['drafted']);
    expect(actions(d)).toEqual(['edit', 'upload_draft', 'submit']);
    const [row] = await queryRows<{ search_text: string }>(t.database.db, sql`SELECT search_text FROM documents WHERE id = ${d.id}`);
    expect(row.search_text).toContain('bao cao tinh hinh dan so');
    expect(row.search_text).toContain('dang van binh');
  });

  it('turns an agency code of a unit of the deployment into that unit', async () => {
    const res = await call(drafter, 'POST', '/api/documents/outgoing', { ...base(), recipients: [{ kind: 'external', agencyCode: '000.02.31.H99', name: 'tên gõ tay' }] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().recipients).toEqual([expect.objectContaining({ kind: 'unit', unitId: ids.phuLoc, name: 'Ủy ban nhân dân xã Phú Lộc' })]);
  });

  it('keeps a DOCX as the source and says a PDF is needed when LibreOffice is not installed', async () => {
    office.use('missing');
    const file = await upload(drafter, docx('a'), 'du-thao.docx');
    const res = await call(drafter, 'POST', '/api/documents/outgoing', { ...base(), fileId: file.id });
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    expect(d.files).toEqual([expect.objectContaining({ fileId: file.id, role: 'draft_source', version: 1 })]);
    expect(d.warnings).toHaveLength(1);
    expect(d.warnings[0]).toMatch(/LibreOffice.*Cần tải lên bản PDF/);
  });

  it('converts a DOCX to PDF when LibreOffice is there: source and PDF share the version', async () => {
    office.use('working');
    try {
      const file = await upload(drafter, docx('b'), 'Dự thảo.docx');
      const res = await call(drafter, 'POST', '/api/documents/outgoing', { ...base(), fileId: file.id });
      expect(res.statusCode, res.body).toBe(201);
      const d = res.json();
      expect(d.warnings).toEqual([]);
      const roles = d.files.map((f: { role: string; version: number; name: string; contentType: string }) => [f.role, f.version, f.name, f.contentType]).sort();
      expect(roles).toEqual([
        ['draft', 1, 'Dự thảo.pdf', 'application/pdf'],
        ['draft_source', 1, 'Dự thảo.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ]);
      office.use('failing');
      const again = await call(drafter, 'POST', `/api/documents/${d.id}/draft-files`, { fileId: (await upload(drafter, docx('c'), 'v2.docx')).id });
      expect(again.statusCode, again.body).toBe(201);
      expect(again.json().warnings[0]).toMatch(/Không chuyển được tệp DOCX sang PDF \(LibreOffice không chuyển được tệp \(mã thoát 1: Error: source file could not be loaded\)/);
    } finally {
      office.use('missing');
    }
  });

  it('accepts legal normative only for types that may be, and a replacement only of an issued document of the unit', async () => {
    const ok = await call(drafter, 'POST', '/api/documents/outgoing', { ...base(), typeCode: 'QD', legalNormative: true });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().legalNormative).toBe(true);
    const bad = await call(drafter, 'POST', '/api/documents/outgoing', { ...base(), typeCode: 'CV', legalNormative: true });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([expect.objectContaining({ field: 'legalNormative' })]);
    // A draft cannot be replaced (only issued or recalled documents).
    const replacesDraft = await call(drafter, 'POST', '/api/documents/outgoing', { ...base(), replacesDocumentId: ok.json().id });
    expect(replacesDraft.statusCode).toBe(400);
    expect(replacesDraft.json().errors[0].field).toBe('replacesDocumentId');
  });

  it('answers 400 with the failing fields for malformed or inconsistent input', async () => {
    const png = await upload(drafter, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]), 'anh.png');
    const othersFile = await upload(clerk, await pdf('clerk-own'), 'cua-van-thu.pdf');
    const cases: [string, Record<string, unknown>, string][] = [
      ['no subject', { ...base(), subject: '   ' }, 'subject'],
      ['no type', { subject: 'x' }, 'typeCode'],
      ['unknown type', { ...base(), typeCode: 'XYZ' }, 'typeCode'],
      ['bad urgency', { ...base(), urgency: 'asap' }, 'urgency'],
      ['bad due date', { ...base(), dueDate: '31/12/2026' }, 'dueDate'],
      ['unknown unit', { ...base(), recipients: [{ kind: 'unit', unitId: '01900000-0000-7000-8000-000000000000' }] }, 'recipients.0.unitId'],
      ['malformed unit id', { ...base(), recipients: [{ kind: 'unit', unitId: 'abc' }] }, 'recipients.0.unitId'],
      ['own unit', { ...base(), recipients: [{ kind: 'unit', unitId: ids.tanAn }] }, 'recipients.0'],
      ['bad e-mail', { ...base(), recipients: [{ kind: 'email', email: 'khong-phai-thu', name: 'A' }] }, 'recipients.0.email'],
      ['e-mail without name', { ...base(), recipients: [{ kind: 'email', email: 'a@example.vn', name: '' }] }, 'recipients.0.name'],
      ['bad agency code', { ...base(), recipients: [{ kind: 'external', agencyCode: 'a..b', name: 'X' }] }, 'recipients.0.agencyCode'],
      ['unknown recipient kind', { ...base(), recipients: [{ kind: 'fax', number: '1' }] }, 'recipients.0.kind'],
      ['e-mail for a secret document', { ...base(), secrecy: 'confidential', recipients: [{ kind: 'email', email: 'a@example.vn', name: 'A' }] }, 'recipients.0.email'],
      ['a specialist as signer', { ...base(), signerUserId: ids.drafterXa }, 'signerUserId'],
      ['the province leader of another branch as signer', { ...base(), signerUserId: ids.leaderTinh }, 'signerUserId'],
      ['malformed signer', { ...base(), signerUserId: 'lanhdao.xa' }, 'signerUserId'],
      ['unknown file', { ...base(), fileId: '01900000-0000-7000-8000-000000000000' }, 'fileId'],
      ['someone else’s file', { ...base(), fileId: othersFile.id }, 'fileId'],
      ['an image as draft', { ...base(), fileId: png.id }, 'fileId'],
      ['a unit one does not draft for', { ...base(), unitId: ids.phuLoc }, 'unitId'],
    ];
    for (const [what, body, field] of cases) {
      const res = await call(drafter, 'POST', '/api/documents/outgoing', body);
      expect(res.statusCode, `${what}: ${res.body}`).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors.map((e: { field: string }) => e.field), what).toContain(field);
    }
    const secretWithFile = await call(drafter, 'POST', '/api/documents/outgoing', { ...base(), secrecy: 'secret', fileId: (await upload(drafter, await pdf('s'), 's.pdf')).id });
    expect(secretWithFile.statusCode).toBe(422);
    expect(secretWithFile.json().title).toBe('Văn bản mật không lưu tệp');
    const notJson = await t.app.inject({ method: 'POST', url: '/api/documents/outgoing', headers: { ...bearer(drafter), 'content-type': 'application/json' }, payload: '{"typeCode":' });
    expect(notJson.statusCode).toBe(400);
  });

  it('refuses people who may not draft, and anonymous callers', async () => {
    const motcua = await t.login('motcua.xa');
    expect((await call(motcua, 'POST', '/api/documents/outgoing', base())).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/documents/outgoing', payload: base() })).statusCode).toBe(401);
  });
});

describe('draft versions and PATCH', () => {
  it('adds versions, keeps earlier ones, edits while draft, and stops edits once submitted', async () => {
    const v1 = await upload(drafter, await pdf('p1'), 'v1.pdf');
    const created = (await call(drafter, 'POST', '/api/documents/outgoing', { ...base(), fileId: v1.id })).json();
    const v2 = await upload(drafter, await pdf('p2'), 'v2.pdf');
    const added = await call(drafter, 'POST', `/api/documents/${created.id}/draft-files`, { fileId: v2.id, note: 'Sửa theo góp ý' });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json().version).toBe(2);
    expect(added.json().files.map((f: { version: number; role: string }) => [f.role, f.version])).toEqual([['draft', 1], ['draft', 2]]);
    expect(added.json().timeline.map((e: { action: string }) => e.action)).toEqual(['drafted', 'draft_version']);

    const patched = await call(drafter, 'PATCH', `/api/documents/${created.id}`, { subject: 'Về việc báo cáo bổ sung', urgency: 'very_urgent', recipients: [{ kind: 'unit', unitId: ids.phuLoc }] });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ subject: 'Về việc báo cáo bổ sung', urgency: 'very_urgent', signerName: 'Đặng Văn Bình' });
    expect(patched.json().recipients).toHaveLength(1);
    const [row] = await queryRows<{ search_text: string }>(t.database.db, sql`SELECT search_text FROM documents WHERE id = ${created.id}`);
    expect(row.search_text).toContain('bao cao bo sung');

    // Others may read the draft (the clerk, the leader) but only the drafter edits it.
    expect((await call(clerk, 'PATCH', `/api/documents/${created.id}`, { subject: 'Văn thư sửa' })).statusCode).toBe(403);
    expect((await call(leader, 'POST', `/api/documents/${created.id}/draft-files`, { fileId: v2.id })).statusCode).toBe(403);

    // Bad input on PATCH and draft-files.
    expect((await call(drafter, 'PATCH', `/api/documents/${created.id}`, { subject: '' })).statusCode).toBe(400);
    expect((await call(drafter, 'PATCH', `/api/documents/${created.id}`, { signerUserId: ids.drafterXa })).statusCode).toBe(400);
    expect((await call(drafter, 'PATCH', `/api/documents/${created.id}`, { secrecy: 'secret' })).statusCode).toBe(422); // it has files
    expect((await call(drafter, 'POST', `/api/documents/${created.id}/draft-files`, {})).statusCode).toBe(400);
    expect((await call(drafter, 'POST', `/api/documents/${created.id}/draft-files`, { fileId: 'x' })).statusCode).toBe(400);

    expect((await call(drafter, 'POST', `/api/documents/${created.id}/submit`)).statusCode).toBe(200);
    const late = await call(drafter, 'PATCH', `/api/documents/${created.id}`, { subject: 'Quá muộn' });
    expect(late.statusCode).toBe(409);
    expect(late.json().detail).toContain('đang trình duyệt');
    expect((await call(drafter, 'POST', `/api/documents/${created.id}/draft-files`, { fileId: v2.id })).statusCode).toBe(409);
  });

  it('checks e-mail recipients again when a draft becomes secret', async () => {
    const created = (await call(drafter, 'POST', '/api/documents/outgoing', { ...base(), recipients: [{ kind: 'email', email: 'a@example.vn', name: 'A' }] })).json();
    const res = await call(drafter, 'PATCH', `/api/documents/${created.id}`, { secrecy: 'confidential' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('recipients.0.email');
  });

  it('answers 404 for unknown and malformed ids', async () => {
    const nil = '01900000-0000-7000-8000-000000000000';
    expect((await call(drafter, 'PATCH', `/api/documents/${nil}`, { subject: 'x' })).statusCode).toBe(404);
    expect((await call(drafter, 'PATCH', '/api/documents/not-a-uuid', { subject: 'x' })).statusCode).toBe(404);
    expect((await call(drafter, 'POST', `/api/documents/${nil}/draft-files`, { fileId: nil })).statusCode).toBe(404);
  });
});
