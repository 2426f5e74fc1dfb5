import { sql } from 'drizzle-orm';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { createRootCa, issueCertificate, keySigner, signPdf, toPem } from '../../core/signing/index.js';
import { samplePdf } from '../../core/signing/testing/pdfs.js';
import { runCaCommand } from './cli.js';
import { demoSealPng, demoSignaturePng } from './demo-images.js';
import { type SigningKit, signingKit } from './testing/testkit.js';

/**
 * Trusted roots (system administrator), signature and seal images (own profile, unit administrator), the
 * public "Kiểm tra chữ ký số" endpoint (rate limited, 4xx for what is not a PDF), the check of a stored
 * file, and the `lienthong ca` commands.
 */

let k: SigningKit;
const opaquePng = (() => {
  const png = new PNG({ width: 4, height: 4 });
  png.data.fill(255); // white, alpha 255 everywhere
  return PNG.sync.write(png);
})();

beforeAll(async () => {
  k = await signingKit({ config: { verifyRateLimitPerMinute: 8 } });
});
afterAll(() => k.t.close());

describe('trusted roots', () => {
  it('lists the demo root to officials; only the system administrator adds and removes roots', async () => {
    const list = await k.call('vanthu.xa', 'GET', '/api/signing/trusted-roots');
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([expect.objectContaining({ name: 'LienThong Demo Root CA', demo: true })]);
    const root = await createRootCa({ commonName: 'Root CA Chính phủ (thử)', organization: 'Ban Cơ yếu Chính phủ' });
    const second = await createRootCa({ commonName: 'Root CA thứ hai', organization: 'Thử' });
    const bundle = Buffer.from(toPem(root.certificate) + toPem(second.certificate));
    expect((await k.multipart('lanhdao.xa', '/api/signing/trusted-roots', {}, { content: bundle, filename: 'roots.pem' })).statusCode).toBe(403);
    const added = await k.multipart('admin', '/api/signing/trusted-roots', { note: 'Gốc thử nghiệm' }, { content: bundle, filename: 'roots.pem' });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json().added.map((r: { name: string }) => r.name)).toEqual(['Root CA Chính phủ (thử)', 'Root CA thứ hai']);
    const again = await k.multipart('admin', '/api/signing/trusted-roots', { name: 'Tên khác' }, { content: root.certificate, filename: 'root.cer' });
    expect(again.json()).toMatchObject({ added: [], skipped: 1 });
    const leaf = await issueCertificate(root, { kind: 'official', commonName: 'Ai đó', organization: 'Thử' });
    const notCa = await k.multipart('admin', '/api/signing/trusted-roots', {}, { content: leaf.certificate, filename: 'leaf.cer' });
    expect(notCa.statusCode).toBe(422);
    expect(notCa.json().title).toBe('Không phải chứng thư của tổ chức chứng thực');
    const junk = await k.multipart('admin', '/api/signing/trusted-roots', {}, { content: Buffer.from('hello'), filename: 'x.cer' });
    expect(junk.statusCode).toBe(400);
    const id = added.json().added[1].id;
    const pem = await k.call('vanthu.xa', 'GET', `/api/signing/trusted-roots/${id}/certificate`);
    expect(pem.body).toContain('BEGIN CERTIFICATE');
    expect((await k.call('lanhdao.xa', 'DELETE', `/api/signing/trusted-roots/${id}`)).statusCode).toBe(403);
    expect((await k.call('admin', 'DELETE', `/api/signing/trusted-roots/${id}`)).statusCode).toBe(204);
    expect((await k.call('admin', 'GET', '/api/signing/trusted-roots')).json().items).toHaveLength(2);
  });
});

describe('signature and seal images', () => {
  it('sets the caller’s own handwritten signature (transparent PNG only)', async () => {
    const png = await k.upload('chuyenvien.xa', demoSignaturePng('Hoàng Văn Nam'), 'chu-ky.png');
    const res = await k.call('chuyenvien.xa', 'PUT', '/api/signing/images/me', { fileId: png.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().image).toMatchObject({ fileId: png.id, width: 600, height: 240, sealDiameterMm: null });
    const opaque = await k.upload('chuyenvien.xa', opaquePng, 'nen-trang.png');
    const bad = await k.call('chuyenvien.xa', 'PUT', '/api/signing/images/me', { fileId: opaque.id });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].message).toContain('trong suốt');
    const pdf = await k.upload('chuyenvien.xa', await samplePdf(), 'x.pdf');
    expect((await k.call('chuyenvien.xa', 'PUT', '/api/signing/images/me', { fileId: pdf.id })).statusCode).toBe(400);
    // Another person's upload cannot be used.
    const theirs = await k.upload('lanhdao.xa', demoSignaturePng('Đặng Văn Bình'), 'cua-nguoi-khac.png');
    expect((await k.call('chuyenvien.xa', 'PUT', '/api/signing/images/me', { fileId: theirs.id })).statusCode).toBe(400);
    expect((await k.call('chuyenvien.xa', 'GET', '/api/signing/images/me')).json().image.fileId).toBe(png.id);
    expect((await k.call('chuyenvien.xa', 'DELETE', '/api/signing/images/me')).statusCode).toBe(204);
    expect((await k.call('chuyenvien.xa', 'GET', '/api/signing/images/me')).json().image).toBeNull();
  });

  it('lets only unit administrators set a unit’s seal with its real diameter', async () => {
    const unit = await k.t.unitId('000.01.31.H99');
    const png = await k.upload('admin', demoSealPng(), 'con-dau.png');
    expect((await k.call('lanhdao.xa', 'PUT', `/api/units/${unit}/seal`, { fileId: png.id, diameterMm: 35 })).statusCode).toBe(403);
    expect((await k.call('admin', 'PUT', `/api/units/${unit}/seal`, { fileId: png.id, diameterMm: 80 })).statusCode).toBe(400);
    const ok = await k.call('admin', 'PUT', `/api/units/${unit}/seal`, { fileId: png.id, diameterMm: 35 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().image).toMatchObject({ fileId: png.id, sealDiameterMm: 35, width: 400 });
    // The unit's clerk reads the seal (and its file) to issue; another commune's clerk does not read the file.
    expect((await k.call('vanthu.xa', 'GET', `/api/files/${png.id}`)).statusCode).toBe(200);
    expect((await k.call('vanthu.xa2', 'GET', `/api/files/${png.id}`)).statusCode).toBe(404);
    const audit = await queryRows<{ n: number }>(k.t.app.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'signing.seal_image_set' AND object_id = ${unit}`);
    expect(audit[0].n).toBeGreaterThanOrEqual(2);
  });
});

describe('public verification', () => {
  const verify = (content: Uint8Array, filename = 'van-ban.pdf') => k.multipart(null, '/api/signatures/verify', {}, { content, filename });

  it('answers without signing in: an unsigned PDF has no signature; a file that is not a PDF is a 415 problem', async () => {
    const res = await verify(await samplePdf());
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ signatures: [], valid: false });
    expect(res.json().verdict).toMatch(/không có chữ ký/i);
    const notPdf = await verify(Buffer.from('GIF89a not a pdf'), 'anh.gif');
    expect(notPdf.statusCode).toBe(415);
    expect(notPdf.headers['content-type']).toContain('application/problem+json');
    expect(notPdf.json().title).toBe('Tệp không phải PDF');
  });

  it('trusts what chains to a root in the database, and says "unknown root" otherwise', async () => {
    const stranger = await createRootCa({ commonName: 'CA lạ', organization: 'Không rõ' });
    const cert = await issueCertificate(stranger, { kind: 'official', commonName: 'Người Lạ', organization: 'Không rõ' });
    const signed = await signPdf(await samplePdf(), keySigner({ privateKey: cert.privateKey, certificates: [cert.certificate, stranger.certificate] }), { placement: { invisible: true }, signingTime: new Date() });
    const unknown = (await verify(signed)).json();
    expect(unknown.signatures[0]).toMatchObject({ signerName: 'Người Lạ', integrity: 'valid', chain: 'unknown-root' });
    expect((await k.multipart('admin', '/api/signing/trusted-roots', {}, { content: stranger.certificate, filename: 'la.cer' })).statusCode).toBe(201);
    const trusted = (await verify(signed)).json();
    expect(trusted.signatures[0].chain).toBe('trusted');
    expect(trusted.valid).toBe(true);
  });

  it('checks a stored file for those who may read it', async () => {
    const f = await k.upload('vanthu.xa', await samplePdf(), 'den.pdf');
    const res = await k.call('vanthu.xa', 'GET', `/api/signatures/files/${f.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ fileId: f.id, records: [], report: { signatures: [] } });
    expect((await k.call('vanthu.xa2', 'GET', `/api/signatures/files/${f.id}`)).statusCode).toBe(404);
  });

  it('is rate limited per client', async () => {
    const pdf = await samplePdf();
    let limited = 0;
    for (let i = 0; i < 10; i++) if ((await verify(pdf)).statusCode === 429) limited++;
    expect(limited).toBeGreaterThan(0);
  });
});

describe('lienthong ca', () => {
  it('initialises once, issues for a user or an agency code, exports the root', async () => {
    const out: string[] = [];
    expect(await runCaCommand(k.t.app.db, k.t.app.signing, ['init'], (l) => out.push(l))).toBe(0);
    expect(out[0]).toMatch(/^CA mẫu đã có: CN=LienThong Demo Root CA/);
    expect(await runCaCommand(k.t.app.db, k.t.app.signing, ['issue', '--user', 'motcua.xa'], (l) => out.push(l))).toBe(0);
    expect(out.at(-2)).toContain('CN=Vũ Thị Lan');
    expect(await runCaCommand(k.t.app.db, k.t.app.signing, ['issue', '--unit', '000.00.02.h99'], (l) => out.push(l))).toBe(0);
    expect(out.at(-2)).toContain('CN=Sở Nội vụ');
    await expect(runCaCommand(k.t.app.db, k.t.app.signing, ['issue', '--user', 'khong-co'], () => undefined)).rejects.toThrow('Không có cán bộ "khong-co".');
    expect(await runCaCommand(k.t.app.db, k.t.app.signing, ['export-root'], (l) => out.push(l))).toBe(0);
    expect(out.at(-1)).toMatch(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/);
    expect(await runCaCommand(k.t.app.db, k.t.app.signing, ['nonsense'], () => undefined)).toBe(2);
  });
});
