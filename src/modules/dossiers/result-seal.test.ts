import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { PHOTO_JPEG } from '../../core/pdf/fixtures.js';
import { putSetting } from '../../core/settings/index.js';
import { missingToolsReason, pdfsig, tempDir } from '../../core/signing/testing/tools.js';
import { startTestTsa, type TestTsa } from '../../core/signing/testing/tsa.js';
import { systemCtx } from '../../test/harness.js';
import { addTrustedRoots, DEMO_SIGNING_PIN, seedDemoSigning, verifyPdf } from '../signing/index.js';
import { testSigningKey } from '../signing/testing/testkit.js';
import { Browser, textOf } from '../portal/testing.js';
import { ONLINE_SEAL_REQUIRED_KEY } from './result-seal.js';
import { CODES, createDossierApp, type DossierTestApp, expectProblem, pdfOf, UNITS } from './testing.js';

/**
 * The agency's seal on a dossier's electronic result (issues 4 and 5): the officer completing the dossier seals the
 * result PDF with the deciding agency's credential (the unit holding the dossier then, after a transfer the deciding
 * department's); the sealed PDF is valid for the signing module's validator and for poppler; the applicant downloads
 * it when it is returned online, nobody else does, and the public lookup never shows it.
 */

let h: DossierTestApp;
const skipPdfsig = missingToolsReason(['pdfsig']);

const act = async (user: string, id: string, action: string, body: Record<string, unknown> = {}) => h.api(await h.token(user), 'POST', `/api/dossiers/${id}/actions/${action}`, body);
const get = async (user: string, id: string) => h.api(await h.token(user), 'GET', `/api/dossiers/${id}`);
const unitCredential = async (agencyCode: string) => {
  const r = await h.api(await h.token('admin'), 'GET', `/api/signing/credentials?owner=unit&unitId=${await h.t.unitId(agencyCode)}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.items[0].id as string;
};

/** A marriage registration received at the Tân An desk, walked to its return step (approved); `applicant`: the citizen's account or a name. */
async function approvedDossier(applicant: Record<string, unknown>, returnMethod: 'online' | 'counter'): Promise<string> {
  const desk = await h.token('motcua.xa');
  const r = await h.api(desk, 'POST', '/api/dossiers', {
    procedureId: await h.procedure(CODES.marriage), caseId: 'th1', channel: 'counter', applicant, returnMethod,
    documents: [{ index: 0, fileIds: [] }, { index: 1, fileIds: [] }], fileIds: [],
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const id = r.body.id as string;
  for (const [user, action, body] of [
    ['motcua.xa', 'forward', { toUserId: await h.t.userId('chuyenvien.xa') }],
    ['chuyenvien.xa', 'forward', { toUserId: await h.t.userId('lanhdao.xa') }],
    ['lanhdao.xa', 'approve', {}],
  ] as const) {
    const x = await act(user, id, action, body);
    expect(x.status, `${action}: ${JSON.stringify(x.body)}`).toBe(200);
  }
  return id;
}

let citizenId: string;
let tanAnSeal: string;
let tsa: TestTsa | undefined;
const skipTsa = missingToolsReason(['openssl']); // the local time-stamp authority is `openssl ts`

beforeAll(async () => {
  if (!skipTsa) tsa = await startTestTsa();
  // The demo CA issues certificates valid from the real time: the clock stands at the real time of the run.
  h = await createDossierApp(new Date(), { config: { signingKey: testSigningKey(), tsaUrl: tsa?.url } });
  // Demo CA, leaders' and agencies' credentials (PIN DEMO_SIGNING_PIN); the TSA's root trusted.
  expect(await seedDemoSigning(h.t.app.db, h.t.app.signing, h.t.app.fileStore, h.clock.now())).toBe(true);
  if (tsa) await addTrustedRoots(h.t.app.db, null, { content: tsa.caCertificateDer, name: 'TSA thử nghiệm' }, systemCtx());
  tanAnSeal = await unitCredential(UNITS.tanAn);
  const found = await h.api(await h.token('motcua.xa'), 'GET', '/api/dossiers/applicants?idNumber=001090012345');
  citizenId = found.body.found.citizenId;
  expect(citizenId).toBeTruthy();
}, 300_000); // a fresh database, the demo catalogue and the demo CA: slow on a busy machine
afterAll(async () => {
  await h?.t.close();
  await tsa?.close();
});

describe('sealing the result when completing', () => {
  let id: string;
  let code: string;
  let resultId: string;
  beforeAll(async () => {
    id = await approvedDossier({ citizenId }, 'online');
    code = (await get('motcua.xa', id)).body.code;
  }, 120_000);

  it('offers the deciding agency’s seal credentials in the dialog', async () => {
    const r = await h.api(await h.token('motcua.xa'), 'GET', `/api/dossiers/${id}/seal-options`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ agency: { name: 'Ủy ban nhân dân xã Tân An' }, required: false });
    expect(r.body.credentials.map((c: { id: string }) => c.id)).toEqual([tanAnSeal]);
    expectProblem(await h.api(await h.token('congdan'), 'GET', `/api/dossiers/${id}/seal-options`), 403);
    expectProblem(await h.api(await h.token('vanthu.xa2'), 'GET', `/api/dossiers/${id}/seal-options`), 404);
  });

  it('refuses another agency’s seal or an official’s own credential (403), a wrong PIN (the signing module’s 422), a non-PDF result (422)', async () => {
    const desk = await h.token('motcua.xa');
    const pdf = await h.upload(desk, await pdfOf(1, 'Marriage certificate'), 'giay-chung-nhan-ket-hon.pdf');
    const other = await act('motcua.xa', id, 'complete', { fileIds: [pdf], seal: { credentialId: await unitCredential(UNITS.phuLoc), pin: DEMO_SIGNING_PIN } });
    expectProblem(other, 403);
    expect(other.body.type).toContain('not-the-agency-seal');
    expect(other.body.detail).toContain('Ủy ban nhân dân xã Tân An');
    const leaderCred = (await h.api(await h.token('lanhdao.xa'), 'GET', '/api/signing/credentials?mine=true')).body.items[0].id;
    expectProblem(await act('motcua.xa', id, 'complete', { fileIds: [pdf], seal: { credentialId: leaderCred, pin: DEMO_SIGNING_PIN } }), 403);
    const wrong = await act('motcua.xa', id, 'complete', { fileIds: [pdf], seal: { credentialId: tanAnSeal, pin: '000000' } });
    expectProblem(wrong, 422, 'pin');
    expect(wrong.body.title).toBe('Mã PIN không đúng');
    const photo = await h.upload(desk, PHOTO_JPEG, 'ket-qua.jpg');
    const notPdf = await act('motcua.xa', id, 'complete', { fileIds: [photo], seal: { credentialId: tanAnSeal, pin: DEMO_SIGNING_PIN } });
    expectProblem(notPdf, 422, 'fileIds.0');
    expect(notPdf.body.title).toBe('Kết quả không phải tệp PDF');
    expectProblem(await act('motcua.xa', id, 'complete', { fileIds: [pdf], seal: { credentialId: 'not-a-uuid', pin: DEMO_SIGNING_PIN } }), 404, 'seal.credentialId');
    // Nothing changed: still at the return step, no result.
    expect((await get('motcua.xa', id)).body).toMatchObject({ statusCode: 4, resultFileId: null, result: null });
  });

  it('seals: the sealed PDF becomes the result, the upload is kept, one signature record, audited, in the history', async () => {
    const desk = await h.token('motcua.xa');
    const upload = await h.upload(desk, await pdfOf(2, 'Marriage certificate'), 'giay-chung-nhan-ket-hon.pdf');
    const r = await act('motcua.xa', id, 'complete', { fileIds: [upload], seal: { credentialId: tanAnSeal, pin: DEMO_SIGNING_PIN } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    resultId = r.body.resultFileId;
    expect(resultId).not.toBe(upload);
    expect(r.body.result).toMatchObject({
      fileId: resultId, sealed: true, sourceFileId: upload, onlineUnsealed: false, downloadable: true,
      seal: { agencyName: 'Ủy ban nhân dân xã Tân An', valid: true, actorName: 'Vũ Thị Lan', at: h.clock.now().toISOString() },
    });
    expect(r.body.files.filter((f: { kind: string }) => f.kind.startsWith('result')).map((f: { kind: string; fileId: string }) => [f.kind, f.fileId])).toEqual([
      ['result_source', upload],
      ['result', resultId],
    ]);
    expect(r.body.history.at(-1)).toMatchObject({ action: 'complete', toStatus: 9, detail: { result: true, sealed: true, sealedBy: 'Ủy ban nhân dân xã Tân An' } });
    const audit = await queryRows<{ action: string }>(h.t.app.db, sql`SELECT action FROM audit_log WHERE object_id IN (${resultId}, ${id}) ORDER BY seq`);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['signing.sealed', 'dossier.complete']));
  });

  it('verifies valid with the signing module’s validator: the agency’s seal at top right of page 1 with the code, agency and time', async () => {
    const file = await h.api(await h.token('motcua.xa'), 'GET', `/api/files/${resultId}`);
    expect(file.status).toBe(200);
    const report = await verifyPdf(h.t.app.db, new Uint8Array(file.raw), h.clock.now());
    expect(report.valid, report.verdict).toBe(true);
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]).toMatchObject({ valid: true, integrity: 'valid', chain: 'trusted' });
    expect(report.signatures[0].certificate?.subject).toContain('Ủy ban nhân dân xã Tân An');
    const text = Buffer.from(file.raw).toString('latin1');
    expect(text).toContain('/DSS'); // validation data as for documents
    if (tsa) {
      expect(report.signatures[0].timestamp?.valid).toBe(true); // time-stamped by the configured TSA
      expect(['B-LT', 'B-LTA']).toContain(report.signatures[0].level);
      expect(tsa.requests()).toBeGreaterThan(0);
    }
  });

  it.skipIf(!!skipPdfsig)('verifies valid with poppler’s pdfsig -nocert -no-ocsp', async () => {
    const file = await h.api(await h.token('motcua.xa'), 'GET', `/api/files/${resultId}`);
    const tmp = tempDir();
    try {
      const out = pdfsig(tmp.file('ket-qua.pdf', file.raw));
      expect(out.signatures.filter((s) => s.signed), out.output).toHaveLength(1);
      expect(out.output).toContain('Signature is Valid');
      expect(out.signatures[0].valid, out.output).toBe(true);
    } finally {
      tmp.cleanup();
    }
  });

  it('lets the applicant download the sealed result, never the unsigned upload; other people get 404', async () => {
    const me = await h.token('congdan');
    const d = await h.api(me, 'GET', `/api/dossiers/${id}`);
    expect(d.body.result).toMatchObject({ fileId: resultId, sealed: true, downloadable: true, sourceFileId: null });
    expect(d.body.files.map((f: { kind: string }) => f.kind)).not.toContain('result_source');
    const source = (await get('motcua.xa', id)).body.result.sourceFileId;
    const dl = await h.api(me, 'GET', `/api/files/${resultId}?download=1`);
    expect(dl.status).toBe(200);
    expect(dl.raw.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await h.api(me, 'GET', `/api/files/${source}`)).status).toBe(404);
    for (const user of ['vanthu.xa2', 'admin']) expect((await h.api(await h.token(user), 'GET', `/api/files/${resultId}`)).status).toBe(404);
  });

  it('does not expose the result through the public lookup by code', async () => {
    const r = await h.t.app.inject({ method: 'GET', url: `/api/public/dossiers/${code}` });
    expect(r.statusCode).toBe(200);
    expect(r.body).not.toContain(resultId);
    expect(Object.keys(r.json())).not.toEqual(expect.arrayContaining(['result']));
    expect(r.json().statusCode).toBe(9);
  });

  it('returns online: the applicant still downloads it', async () => {
    const r = await act('motcua.xa', id, 'return', { method: 'online' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.statusCode).toBe(10);
    expect((await h.api(await h.token('congdan'), 'GET', `/api/files/${resultId}`)).status).toBe(200);
  });

  it('the citizen’s page on the portal offers the sealed result and says whose seal it bears', async () => {
    const b = new Browser(h.t);
    await b.signIn('congdan');
    const page = await b.get(`/ho-so-cua-toi/${id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`href="/api/files/${resultId}?download=1"`);
    const text = textOf(page.html);
    expect(text.replace(/\s+([,.])/g, '$1')).toMatch(/✔ Bản điện tử có chữ ký số \(con dấu điện tử\) của Ủy ban nhân dân xã Tân An, ký lúc \d{2}:\d{2} \d{2}\/\d{2}\/\d{4}, có giá trị pháp lý như bản giấy/);
    expect(page.html).toContain('href="/kiem-tra-chu-ky"');
  });
});

describe('results that are not sealed, and other people’s results', () => {
  it('flags an online result without seal; the citizen of another dossier gets 404 for its result', async () => {
    const id = await approvedDossier({ name: 'Lê Thị Hạnh', idNumber: '001190007788' }, 'online');
    const desk = await h.token('motcua.xa');
    const pdf = await h.upload(desk, await pdfOf(1, 'Marriage certificate'), 'ket-qua.pdf');
    const r = await act('motcua.xa', id, 'complete', { fileIds: [pdf] });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.result).toMatchObject({ fileId: pdf, sealed: false, seal: null, onlineUnsealed: true });
    expect((await h.api(await h.token('congdan'), 'GET', `/api/files/${pdf}`)).status).toBe(404);
    expectProblem(await h.api(await h.token('congdan'), 'GET', `/api/dossiers/${id}`), 404);
  });

  it('hides the result from the applicant when it is returned at the counter', async () => {
    const id = await approvedDossier({ citizenId }, 'counter');
    const pdf = await h.upload(await h.token('motcua.xa'), await pdfOf(1, 'Marriage certificate'), 'ket-qua.pdf');
    expect((await act('motcua.xa', id, 'complete', { fileIds: [pdf], seal: { credentialId: tanAnSeal, pin: DEMO_SIGNING_PIN } })).status).toBe(200);
    const mine = (await h.api(await h.token('congdan'), 'GET', `/api/dossiers/${id}`)).body;
    expect(mine).toMatchObject({ statusCode: 9, resultFileId: null, result: null });
    expect(mine.files.some((f: { kind: string }) => f.kind.startsWith('result'))).toBe(false);
    expect((await h.api(await h.token('congdan'), 'GET', `/api/files/${(await get('motcua.xa', id)).body.resultFileId}`)).status).toBe(404);
  });

  it('with the deployment setting, an online result must be sealed (complete and return refuse it without)', async () => {
    const id = await approvedDossier({ citizenId }, 'online');
    await putSetting(h.t.app.db, ONLINE_SEAL_REQUIRED_KEY, true, h.clock.now());
    try {
      expect((await h.api(await h.token('motcua.xa'), 'GET', `/api/dossiers/${id}/seal-options`)).body.required).toBe(true);
      const pdf = await h.upload(await h.token('motcua.xa'), await pdfOf(1, 'Marriage certificate'), 'ket-qua.pdf');
      const refused = await act('motcua.xa', id, 'complete', { fileIds: [pdf] });
      expectProblem(refused, 422, 'seal');
      expect(refused.body.type).toContain('seal-required');
      expect((await act('motcua.xa', id, 'complete', { fileIds: [pdf], seal: { credentialId: tanAnSeal, pin: DEMO_SIGNING_PIN } })).status).toBe(200);
      expect((await act('motcua.xa', id, 'return', { method: 'online' })).status).toBe(200);
    } finally {
      await putSetting(h.t.app.db, ONLINE_SEAL_REQUIRED_KEY, false, h.clock.now());
    }
  });
});

describe('after a transfer between levels', () => {
  it('the seal is that of the agency holding the dossier when it is completed, not of a unit it passed through', async () => {
    await h.official('chuyenvien.stp', 'Đỗ Minh Tuấn', UNITS.justice, 'specialist');
    await h.official('lanhdao.stp', 'Trịnh Thu Hằng', UNITS.justice, 'leader');
    const issued = await h.api(await h.token('admin'), 'POST', '/api/signing/credentials/issue', { owner: 'unit', unitId: await h.t.unitId(UNITS.justice), pin: DEMO_SIGNING_PIN });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    const desk = await h.token('motcua.xa');
    const scan = await h.upload(desk, await pdfOf(1, 'Declaration'), 'to-khai.pdf');
    const created = await h.api(desk, 'POST', '/api/dossiers', {
      procedureId: await h.procedure(CODES.criminalRecord), channel: 'counter', applicant: { citizenId }, returnMethod: 'online',
      documents: [{ index: 0, fileIds: [scan] }, { index: 1, fileIds: [] }], fileIds: [],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    expect((await act('motcua.xa', id, 'transfer', {})).status).toBe(200);
    expect((await act('chuyenvien.stp', id, 'forward', { toUserId: await h.t.userId('lanhdao.stp') })).status).toBe(200);
    // While the department holds it, its seal is the one offered.
    const atDepartment = (await h.api(await h.token('lanhdao.stp'), 'GET', `/api/dossiers/${id}/seal-options`)).body;
    expect(atDepartment.agency.name).toBe('Sở Tư pháp');
    expect(atDepartment.credentials.map((c: { id: string }) => c.id)).toEqual([issued.body.id]);
    // The department decides and hands it back: the commune desk completes it under the commune's seal.
    expect((await act('lanhdao.stp', id, 'approve', {})).status).toBe(200);
    expect((await h.api(desk, 'GET', `/api/dossiers/${id}/seal-options`)).body.agency.name).toBe('Ủy ban nhân dân xã Tân An');
    const pdf = await h.upload(desk, await pdfOf(1, 'Criminal record certificate'), 'phieu-lltp.pdf');
    expectProblem(await act('motcua.xa', id, 'complete', { fileIds: [pdf], seal: { credentialId: issued.body.id, pin: DEMO_SIGNING_PIN } }), 403);
    const r = await act('motcua.xa', id, 'complete', { fileIds: [pdf], seal: { credentialId: tanAnSeal, pin: DEMO_SIGNING_PIN } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ statusCode: 9, result: { sealed: true, seal: { agencyName: 'Ủy ban nhân dân xã Tân An', valid: true } } });
    expect((await act('motcua.xa', id, 'return', { method: 'online' })).status).toBe(200);
    expect((await h.api(await h.token('congdan'), 'GET', `/api/files/${r.body.resultFileId}`)).status).toBe(200);
  });
});
