import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { queryRows } from '../../core/db/index.js';
import { createRootCa, issueCertificate, readPkcs12, type RootCa, toPem } from '../../core/signing/index.js';
import { DEMO_SIGNING_PIN } from './demo.js';
import { decrypt, keyIdOf, parseSigningKey, SigningKeyError } from './keys.js';
import { type SigningKit, signingKit, testSigningKey } from './testing/testkit.js';

/**
 * Credentials through HTTP against the real database: the demo data, issuing from the demo CA, PKCS#12
 * uploads (encrypted at rest, PIN not stored), USB-token certificates, status changes, who sees what, and
 * the start-up refusal when stored keys have no (or another) SIGNING_KEY.
 */

let k: SigningKit;
let otherCa: RootCa;

beforeAll(async () => {
  k = await signingKit();
  otherCa = await createRootCa({ commonName: 'Other Test CA', organization: 'Kiểm thử' });
});
afterAll(() => k.t.close());

describe('demo credentials', () => {
  it('gives every leader a usable credential of their own and every issuing agency a seal credential', async () => {
    const mine = await k.call('lanhdao.xa', 'GET', '/api/signing/credentials?mine=true');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().items).toHaveLength(1);
    expect(mine.json().items[0]).toMatchObject({ owner: 'official', kind: 'local', source: 'demo_ca', status: 'active', usable: true, userName: 'Đặng Văn Bình' });
    expect(mine.json().items[0].subject).toContain('CN=Đặng Văn Bình, title=Chủ tịch UBND xã, O=Ủy ban nhân dân xã Tân An, ST=Tỉnh Thái Hòa, C=VN');
    const units = await k.call('admin', 'GET', '/api/signing/credentials?owner=unit&pageSize=50');
    expect(units.json().items.map((c: { unitName: string }) => c.unitName).sort()).toEqual(
      ['Ủy ban nhân dân tỉnh Thái Hòa', 'Ủy ban nhân dân xã Phú Lộc', 'Ủy ban nhân dân xã Tân An'].sort(),
    );
  });

  it('keeps the PKCS#12 encrypted under SIGNING_KEY and never the PIN', async () => {
    const [row] = await queryRows<{ pkcs12_encrypted: string; key_id: string }>(k.t.app.db, sql`SELECT pkcs12_encrypted, key_id FROM signing_credentials WHERE kind = 'local' LIMIT 1`);
    const key = parseSigningKey(k.t.config.signingKey!);
    expect(row.key_id).toBe(keyIdOf(key));
    const plain = decrypt({ key, id: keyIdOf(key), source: 'env' }, row.pkcs12_encrypted, row.key_id);
    expect((await readPkcs12(plain, DEMO_SIGNING_PIN)).certificates.length).toBeGreaterThan(0);
    expect(Buffer.from(row.pkcs12_encrypted, 'base64').includes(plain.subarray(0, 64))).toBe(false);
    const all = await queryRows<{ t: string }>(k.t.app.db, sql`SELECT row_to_json(c)::text AS t FROM signing_credentials c`);
    expect(all.some((r) => r.t.includes(DEMO_SIGNING_PIN))).toBe(false);
  });

  it('shows officials only their own credentials; managers their scope; others 404', async () => {
    const other = await k.call('vanthu.xa2', 'GET', '/api/signing/credentials');
    expect(other.json()).toMatchObject({ items: [], total: 0 });
    const id = await k.credentialOf('lanhdao.xa');
    expect((await k.call('vanthu.xa2', 'GET', `/api/signing/credentials/${id}`)).statusCode).toBe(404);
    expect((await k.call('lanhdao.tinh', 'GET', `/api/signing/credentials/${id}`)).statusCode).toBe(404);
    expect((await k.call('admin', 'GET', `/api/signing/credentials/${id}`)).statusCode).toBe(200);
    const pem = await k.call('lanhdao.xa', 'GET', `/api/signing/credentials/${id}/certificate`);
    expect(pem.statusCode).toBe(200);
    expect(pem.body.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  });
});

describe('issuing and uploading', () => {
  it('lets the administrator issue a demo certificate for an official, not the official themself', async () => {
    const userId = await k.t.userId('chuyenvien.xa');
    const self = await k.call('chuyenvien.xa', 'POST', '/api/signing/credentials/issue', { owner: 'official', userId, pin: '2468' });
    expect(self.statusCode).toBe(403);
    const res = await k.call('admin', 'POST', '/api/signing/credentials/issue', { owner: 'official', userId, pin: '2468', label: 'Chứng thư thử' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ userName: 'Hoàng Văn Nam', label: 'Chứng thư thử', kind: 'local', usable: true });
    expect((await k.call('admin', 'POST', '/api/signing/credentials/issue', { owner: 'official', userId, pin: '12' })).statusCode).toBe(400);
  });

  it('accepts an official’s own PKCS#12 with its PIN and refuses a wrong PIN with a Vietnamese problem', async () => {
    const cert = await issueCertificate(otherCa, { kind: 'official', commonName: 'Hoàng Văn Nam', organization: 'UBND xã Tân An' });
    const p12 = await cert.pkcs12('9753');
    const wrong = await k.multipart('chuyenvien.xa', '/api/signing/credentials/pkcs12', { pin: '0000' }, { content: p12, filename: 'nam.p12' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    expect(wrong.json().title).toBe('Mã PIN không đúng');
    const ok = await k.multipart('chuyenvien.xa', '/api/signing/credentials/pkcs12', { pin: '9753', label: 'Token cá nhân' }, { content: p12, filename: 'nam.p12' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ source: 'uploaded', kind: 'local', label: 'Token cá nhân', serialNumber: cert.serialNumber });
    const garbage = await k.multipart('chuyenvien.xa', '/api/signing/credentials/pkcs12', { pin: '9753' }, { content: Buffer.from('not a p12 file at all'), filename: 'x.p12' });
    expect(garbage.statusCode).toBe(422);
    // Someone else's account: 403.
    const forOther = await k.multipart('chuyenvien.xa', '/api/signing/credentials/pkcs12', { pin: '9753', userId: await k.t.userId('lanhdao.xa') }, { content: p12, filename: 'nam.p12' });
    expect(forOther.statusCode).toBe(403);
  });

  it('registers a USB-token certificate (no key on the server): listed, not usable for server signing', async () => {
    const cert = await issueCertificate(otherCa, { kind: 'official', commonName: 'Lê Quang Huy', organization: 'UBND tỉnh Thái Hòa' });
    const res = await k.multipart('lanhdao.tinh', '/api/signing/credentials/certificate', {}, { content: Buffer.from(toPem(cert.certificate) + toPem(otherCa.certificate)), filename: 'token.pem' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'token', usable: false, source: 'certificate' });
    const ca = await k.multipart('lanhdao.tinh', '/api/signing/credentials/certificate', {}, { content: otherCa.certificate, filename: 'root.der' });
    expect(ca.statusCode).toBe(400);
  });

  it('lets the owner pause a credential; only a manager re-enables or revokes it (revocation drops the key)', async () => {
    const id = await k.credentialOf('lanhdao.xa');
    const off = await k.call('lanhdao.xa', 'POST', `/api/signing/credentials/${id}/status`, { action: 'disable' });
    expect(off.json()).toMatchObject({ status: 'disabled', usable: false });
    expect((await k.call('lanhdao.xa', 'POST', `/api/signing/credentials/${id}/status`, { action: 'enable' })).statusCode).toBe(403);
    expect((await k.call('admin', 'POST', `/api/signing/credentials/${id}/status`, { action: 'enable' })).json().usable).toBe(true);
    const spare = await k.call('admin', 'POST', '/api/signing/credentials/issue', { owner: 'official', userId: await k.t.userId('lanhdao.xa'), pin: '1111' });
    const revoked = await k.call('admin', 'POST', `/api/signing/credentials/${spare.json().id}/status`, { action: 'revoke' });
    expect(revoked.json().status).toBe('revoked');
    const [row] = await queryRows<{ pkcs12_encrypted: string | null }>(k.t.app.db, sql`SELECT pkcs12_encrypted FROM signing_credentials WHERE id = ${spare.json().id}`);
    expect(row.pkcs12_encrypted).toBeNull();
    expect((await k.call('admin', 'POST', `/api/signing/credentials/${spare.json().id}/status`, { action: 'enable' })).statusCode).toBe(409);
    const audit = await queryRows<{ action: string }>(k.t.app.db, sql`SELECT action FROM audit_log WHERE action LIKE 'signing.credential_%'`);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['signing.credential_add', 'signing.credential_disable', 'signing.credential_enable', 'signing.credential_revoke']));
  });
});

describe('start-up check of SIGNING_KEY', () => {
  it('refuses to start with stored keys and no key, or another key; starts with the right one', async () => {
    const base = { ...k.t.config, env: 'production' as const };
    await expect(buildApp({ config: { ...base, signingKey: undefined }, database: k.t.database, logger: false })).rejects.toThrow(SigningKeyError);
    await expect(buildApp({ config: { ...base, signingKey: undefined }, database: k.t.database, logger: false })).rejects.toThrow(/chưa đặt SIGNING_KEY/);
    await expect(buildApp({ config: { ...base, signingKey: testSigningKey() }, database: k.t.database, logger: false })).rejects.toThrow(/không phải khoá đã mã hoá/);
    const app = await buildApp({ config: base, database: k.t.database, logger: false });
    expect(app.signing.key?.source).toBe('env');
    await app.close();
  });

  it('starts without a key while no private key is stored', async () => {
    const fresh = await signingKit({ demo: false, config: { signingKey: undefined, env: 'production' } });
    try {
      expect(fresh.t.app.signing.key).toBeNull();
      const res = await fresh.call('admin', 'POST', '/api/signing/credentials/issue', { owner: 'official', userId: await fresh.t.userId('lanhdao.xa'), pin: '1234' });
      expect(res.statusCode).toBe(503);
      expect(res.json().title).toBe('Máy chủ chưa cấu hình khoá bảo vệ khoá ký số');
    } finally {
      await fresh.t.close();
    }
  });
});
