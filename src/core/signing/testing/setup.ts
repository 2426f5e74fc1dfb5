import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { createRootCa, issueCertificate, toPem } from '../ca.js';
import { keySigner } from '../signer.js';
import { type RootCa, type Signer } from '../types.js';
import { embeddedSignatures, mustRun, nssDatabase, pdfsig, run, tempDir } from './tools.js';

/**
 * Shared fixtures of the signing tests: a demo root, a leader's and two units' signers, a scratch
 * directory with an NSS database trusting the root, and the checks every signed PDF must pass with
 * the independent tools.
 */
export type SigningWorld = {
  root: RootCa;
  leader: Signer;
  seal: Signer;
  otherUnit: Signer;
  dir: string;
  nssDir: string;
  rootPem: string;
  file(name: string, content?: Uint8Array | string): string;
  cleanup(): void;
};

export async function signingWorld(): Promise<SigningWorld> {
  // Valid from 2025 so that tests may sign with fixed dates in 2026.
  const notBefore = new Date('2025-01-01T00:00:00Z');
  const root = await createRootCa({ commonName: 'LienThong Demo Root CA', organization: 'Tỉnh Thừa Thiên Huế (demo)', notBefore, validYears: 30 });
  const leaderCert = await issueCertificate(root, {
    kind: 'official',
    commonName: 'Nguyễn Thị Hồng Nhung',
    title: 'Chủ tịch',
    organization: 'Ủy ban nhân dân huyện Phú Lộc',
    province: 'Thừa Thiên Huế',
    personalId: '046190001234',
    notBefore,
    validYears: 10,
  });
  const unitCert = await issueCertificate(root, { kind: 'unit', commonName: 'Ủy ban nhân dân huyện Phú Lộc', organization: 'Ủy ban nhân dân huyện Phú Lộc', taxCode: '3300101234', notBefore, validYears: 10 });
  const otherCert = await issueCertificate(root, { kind: 'unit', commonName: 'Sở Nội vụ tỉnh Thừa Thiên Huế', organization: 'Sở Nội vụ', taxCode: '3300105678', keyType: 'ecdsa-p256', notBefore, validYears: 10 });
  const tmp = tempDir('lienthong-signing-');
  const nssDir = nssDatabase(path.join(tmp.dir, 'nss'), [root.certificate]);
  return {
    root,
    leader: keySigner({ privateKey: leaderCert.privateKey, certificates: [leaderCert.certificate, root.certificate] }),
    seal: keySigner({ privateKey: unitCert.privateKey, certificates: [unitCert.certificate, root.certificate] }),
    otherUnit: keySigner({ privateKey: otherCert.privateKey, certificates: [otherCert.certificate, root.certificate] }),
    dir: tmp.dir,
    nssDir,
    rootPem: tmp.file('root.pem', toPem(root.certificate)),
    file: tmp.file,
    cleanup: tmp.cleanup,
  };
}

/**
 * The agreement checks: pdfsig (no certificate check) finds `count` signatures, all valid; with the
 * NSS database, every certificate is trusted; qpdf --check passes; openssl cms -verify succeeds on
 * each signature's byte range.
 */
export function expectAgreement(world: SigningWorld, pdf: Uint8Array, name: string, count: number): void {
  const file = world.file(name, pdf);
  const plain = pdfsig(file);
  const signed = plain.signatures.filter((s) => s.signed);
  expect(signed, plain.output).toHaveLength(count);
  for (const s of signed) expect(s.valid, `signature #${s.index}\n${plain.output}`).toBe(true);
  const trusted = pdfsig(file, { nssDir: world.nssDir });
  for (const s of trusted.signatures.filter((x) => x.signed)) expect(s.trusted, `signature #${s.index}\n${trusted.output}`).toBe(true);
  const qpdf = run('qpdf', ['--check', file]);
  expect(qpdf.status, qpdf.stdout + qpdf.stderr).toBe(0);
  expect(qpdf.stdout).toContain('No syntax or stream encoding errors found');
  embeddedSignatures(pdf).forEach((sig, i) => {
    const cms = world.file(`${name}.${i}.p7s`, sig.cms);
    const content = world.file(`${name}.${i}.bin`, sig.signedContent);
    const result = run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', cms, '-content', content, '-CAfile', world.rootPem, '-purpose', 'any', '-out', '/dev/null']);
    expect(result.stderr, `openssl cms -verify, signature ${i + 1}`).toContain('Verification successful');
  });
}

export const readFile = (p: string) => new Uint8Array(fs.readFileSync(p));

export { mustRun };
