import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { assembleCms, buildSignedAttributes, createRootCa, type IssuedCertificate, issueCertificate, keySigner, type RootCa, signPdf, toPem } from '../../core/signing/index.js';
import { samplePdf } from '../../core/signing/testing/pdfs.js';
import { hasTool, pdfsig, tempDir } from '../../core/signing/testing/tools.js';
import { startTestTsa, type TestTsa } from '../../core/signing/testing/tsa.js';
import { DEMO_SIGNING_PIN } from '../signing/index.js';
import { startTestCscService, type TestCscService } from '../signing/testing/csc-service.js';
import { PLACEHOLDER, type SigningKit, signingKit } from '../signing/testing/testkit.js';

/**
 * The other ways the competent person signs (remote signing over the CSC API v2, the external signing tool
 * with a USB token, a PDF signed elsewhere) with a time-stamp authority configured, each followed by the
 * clerk's seal; and a received signed PDF checked at registration.
 */

let k: SigningKit;
let ca: RootCa;
let tsa: TestTsa;
let csc: TestCscService;
let huy: IssuedCertificate;
let binh: IssuedCertificate;
const CI = process.env.CI === 'true';

beforeAll(async () => {
  ca = await createRootCa({ commonName: 'CA Chính phủ (thử)', organization: 'Ban Cơ yếu Chính phủ (thử)' });
  huy = await issueCertificate(ca, { kind: 'official', commonName: 'Lê Quang Huy', organization: 'Ủy ban nhân dân tỉnh Thái Hòa' });
  binh = await issueCertificate(ca, { kind: 'official', commonName: 'Đặng Văn Bình', organization: 'Ủy ban nhân dân xã Tân An' });
  tsa = await startTestTsa();
  csc = await startTestCscService({
    clientId: 'lienthong',
    clientSecret: 'bi-mat',
    credentials: [{ id: 'huy-01', userId: 'huy@remote', pin: '4321', certificates: [huy.certificate, ca.certificate], privateKey: huy.privateKey, description: 'Chữ ký số từ xa của Lê Quang Huy' }],
  });
  k = await signingKit({ config: { tsaUrl: tsa.url, csc: { baseUrl: csc.url, clientId: 'lienthong', clientSecret: 'bi-mat' } } });
  for (const root of [ca.certificate, tsa.caCertificateDer]) {
    const res = await k.multipart('admin', '/api/signing/trusted-roots', {}, { content: root, filename: 'root.cer' });
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(async () => {
  await k.t.close();
  await csc.close();
  await tsa.close();
});

const sealIssue = async (clerk: string, id: string, agencyCode: string) => {
  const res = await k.call(clerk, 'POST', `/api/documents/${id}/seal-issue`, { credentialId: await k.unitCredentialOf(agencyCode), pin: DEMO_SIGNING_PIN });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const signaturesOf = async (who: string, id: string, fileId: string) =>
  (await k.call(who, 'GET', `/api/documents/${id}/signatures`)).json().files.find((f: { fileId: string }) => f.fileId === fileId);
async function poppler(fileId: string, count: number) {
  if (!hasTool('pdfsig')) {
    if (CI) throw new Error('pdfsig is required in CI (apt-get install poppler-utils)');
    return;
  }
  const [row] = await queryRows<{ sha256: string }>(k.t.app.db, sql`SELECT sha256 FROM files WHERE id = ${fileId}`);
  const dir = tempDir();
  try {
    const out = pdfsig(dir.file('f.pdf', await k.t.app.fileStore.read(row.sha256)));
    expect(out.signatures, out.output).toHaveLength(count);
    expect(out.signatures.every((s) => s.valid), out.output).toBe(true);
  } finally {
    dir.cleanup();
  }
}

describe('remote signing (CSC API v2)', () => {
  let cred: string;
  it('links the leader’s remote credential, listed by credentials/list and read by credentials/info', async () => {
    const list = await k.call('lanhdao.tinh', 'GET', '/api/signing/remote-credentials?remoteUserId=huy@remote');
    expect(list.json()).toEqual({ credentialIds: ['huy-01'] });
    const wrongUser = await k.call('lanhdao.tinh', 'POST', '/api/signing/credentials/remote', { owner: 'official', remoteCredentialId: 'huy-01', remoteUserId: 'nobody' });
    expect(wrongUser.statusCode).toBe(400);
    const res = await k.call('lanhdao.tinh', 'POST', '/api/signing/credentials/remote', { owner: 'official', remoteCredentialId: 'huy-01', remoteUserId: 'huy@remote' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'remote', source: 'remote', remoteCredentialId: 'huy-01', usable: true, label: 'Chữ ký số từ xa của Lê Quang Huy' });
    cred = res.json().id;
  });

  it('signs with the PIN at the remote service (a wrong PIN is counted), time-stamped, then the clerk seals it', async () => {
    const id = await k.approvedDraft('chuyenvien.tinh', 'lanhdao.tinh');
    const body = { credentialId: cred, placement: { placeholder: PLACEHOLDER } };
    const wrong = await k.call('lanhdao.tinh', 'POST', `/api/documents/${id}/sign`, { ...body, pin: '0000' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().title).toBe('Mã PIN không đúng');
    expect((await k.call('lanhdao.tinh', 'GET', `/api/signing/credentials/${cred}`)).json().failedAttempts).toBe(1);
    const ok = await k.call('lanhdao.tinh', 'POST', `/api/documents/${id}/sign`, { ...body, pin: '4321' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().signing.report.signatures[0]).toMatchObject({ signerName: 'Lê Quang Huy', chain: 'trusted', level: 'B-T', timestamp: { valid: true } });
    expect(csc.calls).toEqual(expect.arrayContaining(['oauth2/token', 'credentials/list', 'credentials/info', 'credentials/authorize', 'signatures/signHash']));
    expect((await k.call('lanhdao.tinh', 'GET', `/api/signing/credentials/${cred}`)).json().failedAttempts).toBe(0);

    const issued = await sealIssue('vanthu.tinh', id, '000.00.00.H99');
    const sigs = await signaturesOf('vanthu.tinh', id, issued.issued.fileId);
    expect(sigs.report.valid).toBe(true);
    expect(sigs.report.signatures.map((s: { signerName: string }) => s.signerName)).toEqual(['Lê Quang Huy', 'Ủy ban nhân dân tỉnh Thái Hòa']);
    // The seal's chain and the demo CA's CRL are in the DSS: long-term validation data.
    expect(sigs.report.signatures[1].level).toBe('B-LT');
    expect(sigs.report.signatures[1].timestamp).toMatchObject({ valid: true });
    await poppler(issued.issued.fileId, 2);
  });
});

describe('external signing with a USB token', () => {
  it('prepares the PDF and digest for the tool, refuses a CMS for other bytes, finalises the right one', async () => {
    const token = await k.multipart('lanhdao.xa', '/api/signing/credentials/certificate', {}, { content: Buffer.from(toPem(binh.certificate) + toPem(ca.certificate)), filename: 'token.pem' });
    expect(token.statusCode, token.body).toBe(201);
    const id = await k.approvedDraft('chuyenvien.xa', 'lanhdao.xa');
    const prep = await k.call('lanhdao.xa', 'POST', `/api/documents/${id}/sign/external`, { credentialId: token.json().id, placement: { placeholder: PLACEHOLDER } });
    expect(prep.statusCode, prep.body).toBe(200);
    const { pendingId, digest, pdfUrl } = prep.json();
    const pdf = await k.call('lanhdao.xa', 'GET', pdfUrl);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((await k.call('chuyenvien.xa', 'GET', pdfUrl)).statusCode).toBe(404);
    // The tool: CAdES signed attributes over the digest, signed on the token.
    const tool = async (contentDigest: Buffer) => {
      const attrs = buildSignedAttributes(contentDigest, binh.certificate);
      const { signature, algorithm } = await keySigner({ privateKey: binh.privateKey, certificates: [binh.certificate] }).signDigest(createHash('sha256').update(attrs).digest());
      return Buffer.from(await assembleCms({ signedAttributes: attrs, signature, algorithm, certificates: [binh.certificate, ca.certificate] })).toString('base64');
    };
    const finalise = (cms: string) => k.call('lanhdao.xa', 'POST', `/api/documents/${id}/sign/external/${pendingId}`, { cms });
    const other = await finalise(await tool(createHash('sha256').update('something else').digest()));
    expect(other.statusCode).toBe(422);
    expect(other.json().title).toBe('Chữ ký số không khớp với văn bản');
    const ok = await finalise(await tool(Buffer.from(digest.base64, 'base64')));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().signing.report.signatures[0]).toMatchObject({ signerName: 'Đặng Văn Bình', chain: 'trusted', certification: { permissions: 2 } });
    expect((await finalise(await tool(Buffer.from(digest.base64, 'base64')))).statusCode).toBe(409);
    const sigs = (await k.call('lanhdao.xa', 'GET', `/api/documents/${id}/signatures`)).json();
    expect(sigs.files.find((f: { role: string }) => f.role === 'signed').records[0]).toMatchObject({ action: 'signed', method: 'external' });
    const issued = await sealIssue('vanthu.xa', id, '000.01.31.H99');
    expect((await signaturesOf('vanthu.xa', id, issued.issued.fileId)).report.valid).toBe(true);
    await poppler(issued.issued.fileId, 2);
  });
});

describe('a PDF signed elsewhere', () => {
  const signedBy = async (cert: IssuedCertificate, chain: Uint8Array[]) =>
    signPdf(await samplePdf({ placeholder: PLACEHOLDER }), keySigner({ privateKey: cert.privateKey, certificates: [cert.certificate, ...chain] }), { placement: { placeholder: PLACEHOLDER }, signingTime: new Date() });

  it('is accepted only with the competent person’s valid, trusted signature; then sealed top right of page 1', async () => {
    const id = await k.approvedDraft('chuyenvien.xa', 'lanhdao.xa');
    const upload = async (pdf: Uint8Array) => k.call('vanthu.xa', 'POST', `/api/documents/${id}/signed-pdf`, { fileId: (await k.upload('vanthu.xa', pdf, 'da-ky.pdf')).id });
    const stranger = await createRootCa({ commonName: 'CA lạ', organization: 'Không rõ' });
    const fake = await issueCertificate(stranger, { kind: 'official', commonName: 'Đặng Văn Bình', organization: 'Giả mạo' });
    const untrusted = await upload(await signedBy(fake, [stranger.certificate]));
    expect(untrusted.statusCode).toBe(422);
    expect(untrusted.json().detail).toContain('Đặng Văn Bình');
    const someoneElse = await issueCertificate(ca, { kind: 'official', commonName: 'Người Khác', organization: 'UBND xã Tân An' });
    expect((await upload(await signedBy(someoneElse, [ca.certificate]))).statusCode).toBe(422);
    expect((await upload(await samplePdf())).statusCode).toBe(422);
    const ok = await upload(await signedBy(binh, [ca.certificate]));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().timeline.at(-1)).toMatchObject({ action: 'signed_uploaded', actorName: 'Phạm Thị Hoa' });
    const issued = await sealIssue('vanthu.xa', id, '000.01.31.H99');
    const sigs = await signaturesOf('vanthu.xa', id, issued.issued.fileId);
    expect(sigs.report.valid).toBe(true);
    expect(sigs.report.signatures).toHaveLength(2);
    await poppler(issued.issued.fileId, 2);
  });
});

describe('received documents', () => {
  it('checks a signed PDF at registration and keeps the verdict with the file', async () => {
    const signed = await signPdf(await samplePdf(), keySigner({ privateKey: binh.privateKey, certificates: [binh.certificate, ca.certificate] }), { placement: { invisible: true }, signingTime: new Date() });
    const f = await k.upload('vanthu.tinh', signed, 'cong-van-den.pdf');
    const res = await k.call('vanthu.tinh', 'POST', '/api/documents/incoming', {
      issuer: 'Ủy ban nhân dân xã Tân An', codeNumber: 7, codeNotation: 'UBND', issuedDate: '2026-03-02', typeCode: 'CV', subject: 'Về việc báo cáo chuyển đổi số', fileIds: [f.id],
    });
    expect(res.statusCode, res.body).toBe(201);
    const sigs = (await k.call('vanthu.tinh', 'GET', `/api/documents/${res.json().id}/signatures`)).json();
    expect(sigs.files[0].report.signatures[0]).toMatchObject({ signerName: 'Đặng Văn Bình', chain: 'trusted' });
    expect(sigs.files[0].records).toEqual([expect.objectContaining({ action: 'verified', valid: true, signatureCount: 1, actorName: 'Nguyễn Thị Thu' })]);
    const unsigned = await k.upload('vanthu.tinh', await samplePdf(), 'ban-quet.pdf');
    const plain = await k.call('vanthu.tinh', 'POST', '/api/documents/incoming', {
      issuer: 'Sở Tư pháp', codeNumber: 8, codeNotation: 'STP', issuedDate: '2026-03-02', typeCode: 'CV', subject: 'Về việc phổ biến pháp luật', fileIds: [unsigned.id],
    });
    const none = (await k.call('vanthu.tinh', 'GET', `/api/documents/${plain.json().id}/signatures`)).json();
    expect(none.files[0]).toMatchObject({ records: [], report: { signatures: [], valid: false } });
  });
});
