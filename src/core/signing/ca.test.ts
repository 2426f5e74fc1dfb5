import { createHash, verify, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors/index.js';
import { caFromPkcs12, createCrl, createRootCa, issueCertificate, toPem } from './ca.js';
import { readPkcs12 } from './pkcs12.js';
import { keySigner, localKeySigner } from './signer.js';
import { missingToolsReason, mustRun, nssDatabase, run, tempDir } from './testing/tools.js';
import { type RootCa } from './types.js';

const skipReason = missingToolsReason(['openssl', 'certutil', 'pk12util']);
const tmp = tempDir('lienthong-ca-');
afterAll(() => tmp.cleanup());

let root: RootCa;
beforeAll(async () => {
  root = await createRootCa({ commonName: 'LienThong Demo Root CA', organization: 'Ủy ban nhân dân tỉnh Thừa Thiên Huế (demo)' });
});

const official = () =>
  issueCertificate(root, {
    kind: 'official',
    commonName: 'Nguyễn Thị Hồng Nhung',
    title: 'Phó Chủ tịch',
    organizationalUnit: 'Lãnh đạo UBND',
    organization: 'Ủy ban nhân dân huyện Phú Lộc',
    locality: 'Phú Lộc',
    province: 'Thừa Thiên Huế',
    personalId: '046190001234',
    email: 'nhung.ntn@phuloc.example.vn',
    crlUrl: 'http://ca.lienthong.example/root.crl',
  });

describe('demo certificate authority', () => {
  it('issues an official certificate with the Vietnamese subject fields, UTF-8, chained to the root', async () => {
    const cert = await official();
    const x509 = new X509Certificate(cert.certificate);
    expect(x509.subject.normalize('NFC')).toContain('CN=Nguyễn Thị Hồng Nhung');
    expect(x509.subject).toContain('O=Ủy ban nhân dân huyện Phú Lộc');
    expect(x509.subject).toContain('ST=Thừa Thiên Huế');
    expect(x509.subject).toContain('C=VN');
    expect(x509.subject).toContain('UID=CCCD:046190001234');
    expect(x509.subject).toContain('title=Phó Chủ tịch');
    expect(x509.keyUsage).toEqual(['1.3.6.1.5.5.7.3.4', '1.3.6.1.5.5.7.3.36']); // Node lists the extended key usages here
    expect(x509.ca).toBe(false);
    expect(x509.checkIssued(new X509Certificate(root.certificate))).toBe(true);
    expect(x509.verify(new X509Certificate(root.certificate).publicKey)).toBe(true);
    expect(x509.serialNumber.toLowerCase().replace(/^0+/, '')).toBe(cert.serialNumber);
  });

  it('issues a unit (agency seal) certificate with MST and an ECDSA key on request', async () => {
    const unit = await issueCertificate(root, { kind: 'unit', commonName: 'UBND xã Lộc Trì', organization: 'UBND xã Lộc Trì', taxCode: '3301234567', keyType: 'ecdsa-p256' });
    const x509 = new X509Certificate(unit.certificate);
    expect(x509.subject).toContain('UID=MST:3301234567');
    expect(x509.publicKey.asymmetricKeyType).toBe('ec');
    const signer = keySigner({ privateKey: unit.privateKey, certificates: [unit.certificate] });
    const digest = createHash('sha256').update('văn bản').digest();
    const { signature, algorithm } = await signer.signDigest(digest);
    expect(algorithm).toBe('ecdsa-sha256');
    expect(verify('sha256', Buffer.from('văn bản'), x509.publicKey, signature)).toBe(true);
  });

  it('PKCS#12: round trip with the PIN, the leaf first; a wrong PIN is a clear problem', async () => {
    const cert = await official();
    const p12 = await cert.pkcs12('123456');
    const opened = await readPkcs12(p12, '123456');
    expect(Buffer.from(opened.certificates[0]).equals(Buffer.from(cert.certificate))).toBe(true);
    expect(Buffer.from(opened.certificates[1]).equals(Buffer.from(root.certificate))).toBe(true);
    const signer = await localKeySigner({ pkcs12: p12, pin: '123456' });
    const digest = createHash('sha256').update('abc').digest();
    const { signature, algorithm } = await signer.signDigest(digest);
    expect(algorithm).toBe('rsa-pkcs1-sha256');
    expect(verify('sha256', Buffer.from('abc'), new X509Certificate(cert.certificate).publicKey, signature)).toBe(true);
    const err = await localKeySigner({ pkcs12: p12, pin: '000000' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(422);
    expect((err as AppError).title).toBe('Mã PIN không đúng');
    const notP12 = await localKeySigner({ pkcs12: new Uint8Array([1, 2, 3]), pin: '1' }).catch((e: unknown) => e);
    expect((notP12 as AppError).code).toBe('signing-key-invalid');
  });

  it('reopens a CA from its PKCS#12 and issues with it', async () => {
    const reopened = await caFromPkcs12(await root.pkcs12('ca-pin'), 'ca-pin');
    const cert = await issueCertificate(reopened, { kind: 'unit', commonName: 'Sở Tư pháp', organization: 'Sở Tư pháp' });
    const x509 = new X509Certificate(cert.certificate);
    expect(x509.checkIssued(new X509Certificate(root.certificate))).toBe(true);
  });
});

describe.skipIf(skipReason)(`agreement with OpenSSL and NSS ${skipReason ?? ''}`, () => {
  it('openssl verifies the chain and prints the UTF-8 subject; the CRL lists the revoked serial', async () => {
    const cert = await official();
    const rootPem = tmp.file('root.pem', toPem(root.certificate));
    const leafPem = tmp.file('leaf.pem', toPem(cert.certificate));
    expect(mustRun('openssl', ['verify', '-CAfile', rootPem, leafPem]).stdout).toContain(': OK');
    const subject = mustRun('openssl', ['x509', '-in', leafPem, '-noout', '-subject', '-nameopt', 'utf8,sep_comma_plus']).stdout;
    expect(subject).toContain('CN=Nguyễn Thị Hồng Nhung');
    const text = mustRun('openssl', ['x509', '-in', leafPem, '-noout', '-text']).stdout;
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation/);
    expect(text).toContain('URI:http://ca.lienthong.example/root.crl');
    const crl = tmp.file('root.crl', await createCrl(root, [cert.serialNumber]));
    const crlText = mustRun('openssl', ['crl', '-inform', 'DER', '-in', crl, '-CAfile', rootPem, '-noout', '-text']).stdout;
    expect(crlText.toLowerCase().replace(/\s/g, '')).toContain(`serialnumber:${cert.serialNumber}`);
    const check = run('openssl', ['crl', '-inform', 'DER', '-in', crl, '-CAfile', rootPem, '-noout']);
    expect(check.stderr).toContain('verify OK');
    const crlPem = tmp.file('root-crl.pem', toPem(await createCrl(root, [cert.serialNumber]), 'X509 CRL'));
    const revoked = run('openssl', ['verify', '-crl_check', '-CAfile', rootPem, '-CRLfile', crlPem, leafPem]);
    expect(revoked.status).not.toBe(0);
    expect(revoked.stdout + revoked.stderr).toContain('certificate revoked');
  });

  it('OpenSSL and NSS (pk12util) open our PKCS#12; we open OpenSSL’s', async () => {
    const cert = await official();
    const p12 = tmp.file('official.p12', await cert.pkcs12('mã-PIN 1'));
    const info = mustRun('openssl', ['pkcs12', '-in', p12, '-passin', 'pass:mã-PIN 1', '-nodes', '-info']);
    expect(info.stderr).toMatch(/MAC: sha256/);
    expect(info.stdout).toContain('BEGIN PRIVATE KEY');
    const db = nssDatabase(tmp.file('nss'), [root.certificate]);
    mustRun('pk12util', ['-i', p12, '-d', `sql:${db}`, '-W', 'mã-PIN 1']);
    expect(mustRun('certutil', ['-L', '-d', `sql:${db}`]).stdout).toContain('Nguyễn Thị Hồng Nhung');
    // OpenSSL writes its own PKCS#12 (AES-256, PBKDF2) from our key and certificate.
    const keyPem = tmp.file('key.pem', info.stdout);
    const theirs = tmp.file('theirs.p12');
    mustRun('openssl', ['pkcs12', '-export', '-in', keyPem, '-out', theirs, '-passout', 'pass:999999']);
    const opened = await readPkcs12(new Uint8Array(fs.readFileSync(theirs)), '999999');
    expect(Buffer.from(opened.certificates[0]).equals(Buffer.from(cert.certificate))).toBe(true);
  });
});
