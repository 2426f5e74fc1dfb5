import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingToolsReason, nssDatabase, run, tempDir } from '../testing/tools.js';
import { verifyPdfSignatures, type VerificationReport } from './index.js';
import { opensslPki, type OpensslPki } from './testing/openssl-pki.js';
import { addAnnotation, basePdf, fillTextField, nssWithKeys, opensslSign, pdfsigAddSignature, replacePageContent, tamper } from './testing/pdf-edits.js';
import { pdfsigChain, pdfsigVerdicts } from './testing/pdfsig.js';

/**
 * The validator against poppler's pdfsig on a corpus made by other tools: pdfsig's own signer
 * (adbe.pkcs7.detached, NSS key), `openssl cms` (ETSI.CAdES.detached, RSA and ECDSA), `openssl ts`
 * (document time-stamps, checked with `openssl ts -verify` since pdfsig 22.12 cannot), several
 * signatures, one-byte tampering, and permitted and unpermitted changes appended after signing.
 */

const skipReason = missingToolsReason(['pdfsig', 'openssl', 'certutil', 'pk12util', 'qpdf']);
const tmp = tempDir('lienthong-verify-');
afterAll(() => tmp.cleanup());

let pki: OpensslPki;
let trustDb: string;
const corpus = new Map<string, Uint8Array>();

beforeAll(async () => {
  if (skipReason) return;
  pki = opensslPki(path.join(tmp.dir, 'pki'));
  trustDb = nssDatabase(path.join(tmp.dir, 'trust'), [pki.root.der]);
  const keys = nssWithKeys(path.join(tmp.dir, 'keys'), pki, [pki.official, pki.stranger, pki.expired]);
  const work = path.join(tmp.dir, 'work');
  fs.mkdirSync(work);
  const base = await basePdf({ textField: true });
  const poppler = (pdf: Uint8Array, nick: string, fieldName: string) => pdfsigAddSignature(pdf, { work, nssDir: keys, nick, fieldName, reason: 'Phê duyệt' });
  const openssl = (pdf: Uint8Array, fieldName: string, extra: Partial<Parameters<typeof opensslSign>[1]> = {}) =>
    opensslSign(pdf, { work, pki, fieldName, kind: 'ETSI.CAdES.detached', ...extra });

  corpus.set('pdfsig, classic xref', poppler(base, 'official', 'LanhDao'));
  corpus.set('pdfsig, xref stream and object streams', poppler(await basePdf({ xrefStream: true }), 'official', 'LanhDao'));
  const linearized = path.join(work, 'linearized.pdf');
  run('qpdf', ['--linearize', '--object-streams=generate', tmp.file('to-linearize.pdf', await basePdf({ pages: 3 })), linearized]);
  corpus.set('pdfsig on a linearized file with object streams (qpdf)', poppler(new Uint8Array(fs.readFileSync(linearized)), 'official', 'LanhDao'));
  corpus.set('pdfsig twice', poppler(corpus.get('pdfsig, classic xref')!, 'official', 'VanThu'));
  corpus.set('openssl ETSI RSA', openssl(base, 'LanhDao'));
  corpus.set('openssl ETSI ECDSA', openssl(base, 'LanhDao', { signer: pki.ecOfficial }));
  corpus.set('openssl ETSI RSA-PSS', openssl(base, 'LanhDao', { pss: true }));
  corpus.set('openssl ETSI without signing-certificate-v2', openssl(base, 'LanhDao', { noEss: true }));
  corpus.set('openssl then pdfsig', poppler(openssl(base, 'LanhDao'), 'official', 'DenVan'));
  corpus.set('openssl, pdfsig, then a document time-stamp', opensslSign(corpus.get('openssl then pdfsig')!, { work, pki, fieldName: 'DauThoiGian', kind: 'ETSI.RFC3161' }));
  corpus.set('tampered inside the first range', tamper(corpus.get('pdfsig twice')!, 600));
  corpus.set('tampered inside the second range', tamper(corpus.get('openssl ETSI RSA')!, corpus.get('openssl ETSI RSA')!.length - 30));
  corpus.set('page content replaced after signing', replacePageContent(corpus.get('pdfsig, classic xref')!, 'BT /F1 24 Tf 50 700 Td (Noi dung khac) Tj ET'));
  corpus.set('form field filled after signing', fillTextField(corpus.get('openssl ETSI RSA')!, '15/QD-UBND'));
  corpus.set('comment added after signing', addAnnotation(corpus.get('pdfsig, classic xref')!, 'Đã xem'));
  corpus.set('certificate from an unknown root', poppler(base, 'stranger', 'NguoiLa'));
  corpus.set('expired certificate', poppler(base, 'expired', 'HetHan'));
  corpus.set('chain ending in a root that is not trusted', openssl(base, 'NguoiLa', { signer: pki.stranger, certfile: pki.otherRoot.cert }));
}, 180_000);

async function agree(name: string): Promise<VerificationReport> {
  const pdf = corpus.get(name)!;
  const ours = await verifyPdfSignatures(pdf, { trustedRoots: [pki.root.der] });
  const integrity = pdfsigVerdicts(pdf, tmp.dir);
  const trust = pdfsigVerdicts(pdf, tmp.dir, { nssDir: trustDb });
  expect(ours.signatures.map((s) => s.fieldName).sort()).toEqual(integrity.map((p) => p.field).sort());
  let trustCompared = 0;
  for (const theirs of integrity) {
    const mine = ours.signatures.find((s) => s.fieldName === theirs.field)!;
    expect(mine.coversWholeDocument, `${theirs.field}: whole document`).toBe(theirs.wholeDocument);
    if (theirs.unsupported) continue;
    expect(mine.integrity, `${theirs.field}: integrity`).toBe(theirs.valid ? 'valid' : 'invalid');
    const chain = pdfsigChain(trust.find((t) => t.field === theirs.field)!.certificate);
    if (mine.integrity === 'valid' && chain !== null) {
      expect(mine.chain, `${theirs.field}: trust`).toBe(chain);
      trustCompared++;
    }
  }
  // At least one trust verdict per file with an intact signature was compared (see pdfsigChain).
  if (ours.signatures.some((s) => s.integrity === 'valid' && s.kind === 'signature')) expect(trustCompared).toBeGreaterThan(0);
  return ours;
}

const byField = (report: VerificationReport, field: string) => report.signatures.find((s) => s.fieldName === field)!;

describe.skipIf(skipReason)(`agreement with poppler's pdfsig${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('every file of the corpus is a well-formed PDF for qpdf', () => {
    for (const [name, pdf] of corpus) {
      const file = tmp.file('check.pdf', pdf);
      const result = run('qpdf', ['--check', file]);
      // 0: clean; 3: warnings only (qpdf notes the unreferenced placeholder bytes of some signers).
      expect([0, 3], `${name}: ${result.stdout}${result.stderr}`).toContain(result.status);
    }
  });

  it("a pdfsig signature (adbe.pkcs7.detached): valid, trusted, not PAdES, Vietnamese subject and reason", async () => {
    for (const name of ['pdfsig, classic xref', 'pdfsig, xref stream and object streams', 'pdfsig on a linearized file with object streams (qpdf)']) {
      const report = await agree(name);
      const sig = byField(report, 'LanhDao');
      expect(sig).toMatchObject({ integrity: 'valid', chain: 'trusted', coversWholeDocument: true, level: 'not-pades', subFilter: 'adbe.pkcs7.detached', reason: 'Phê duyệt', valid: true });
      expect(sig.signerName).toBe('Nguyễn Thị Hồng Nhung');
      expect(sig.certificate?.subject).toBe('CN=Nguyễn Thị Hồng Nhung, OU=Văn phòng, O=UBND huyện Phú Lộc, L=Phú Lộc, ST=Thừa Thiên Huế, C=VN');
      expect(sig.certificate?.issuer).toContain('CN=Root CA thử nghiệm LienThong');
      expect(sig.signingTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
      expect(report.verdict).toBe('Tài liệu có 1 chữ ký số, hợp lệ và được tin cậy.');
    }
  });

  it('two signatures by incremental updates: both valid, the first does not cover the file and the addition is permitted', async () => {
    const report = await agree('pdfsig twice');
    expect(report.signatures.map((s) => s.fieldName)).toEqual(['LanhDao', 'VanThu']);
    const first = byField(report, 'LanhDao');
    expect(first.coversWholeDocument).toBe(false);
    expect(first.modificationsAfter?.permitted).toBe(true);
    expect(first.modificationsAfter?.description).toContain('chữ ký số mới (ô "VanThu")');
    expect(report.valid).toBe(true);
    expect(report.verdict).toBe('Tài liệu có 2 chữ ký số, tất cả hợp lệ và được tin cậy.');
  });

  it('ETSI.CAdES.detached from openssl cms (RSA, RSA-PSS and ECDSA): PAdES B-B, valid and trusted', async () => {
    const rsa = byField(await agree('openssl ETSI RSA'), 'LanhDao');
    expect(rsa).toMatchObject({ integrity: 'valid', chain: 'trusted', level: 'B-B', subFilter: 'ETSI.CAdES.detached', algorithm: 'RSA-SHA256', reason: 'Ký ban hành', location: 'Phú Lộc' });
    expect(byField(await agree('openssl ETSI RSA-PSS'), 'LanhDao')).toMatchObject({ integrity: 'valid', chain: 'trusted', level: 'B-B', algorithm: 'RSA-PSS' });
    const ec = byField(await agree('openssl ETSI ECDSA'), 'LanhDao');
    expect(ec).toMatchObject({ integrity: 'valid', chain: 'trusted', level: 'B-B', algorithm: 'ECDSA-SHA256', signerName: 'Trần Đức Lâm' });
  });

  it('ETSI.CAdES.detached without the signing-certificate-v2 attribute is valid but not PAdES', async () => {
    const sig = byField(await agree('openssl ETSI without signing-certificate-v2'), 'LanhDao');
    expect(sig).toMatchObject({ integrity: 'valid', level: 'not-pades' });
  });

  it('signatures made by two different tools in one file, then a document time-stamp (checked with openssl ts -verify)', async () => {
    const report = await agree('openssl, pdfsig, then a document time-stamp');
    expect(report.signatures.map((s) => [s.fieldName, s.kind])).toEqual([
      ['LanhDao', 'signature'],
      ['DenVan', 'signature'],
      ['DauThoiGian', 'document-timestamp'],
    ]);
    const stamp = byField(report, 'DauThoiGian');
    expect(stamp).toMatchObject({ integrity: 'valid', chain: 'trusted', coversWholeDocument: true, subFilter: 'ETSI.RFC3161', signerName: 'TSA thử nghiệm' });
    // The ETSI signature made before the document time-stamp is thereby B-T.
    expect(byField(report, 'LanhDao').level).toBe('B-T');
    expect(report.verdict).toBe('Tài liệu có 2 chữ ký số và 1 dấu thời gian tài liệu, tất cả hợp lệ và được tin cậy.');

    // openssl's own check of the same token over the same byte ranges; and of a tampered copy.
    const pdf = corpus.get('openssl, pdfsig, then a document time-stamp')!;
    const check = (bytes: Uint8Array) => {
      const range = /\/ByteRange \[0 (\d+)\s+(\d+)\s+(\d+)\s*\]/g;
      let m: RegExpExecArray | null = null;
      for (let next = range.exec(Buffer.from(bytes).toString('latin1')); next; next = range.exec(Buffer.from(bytes).toString('latin1'))) m = next;
      const [b, c, d] = [Number(m![1]), Number(m![2]), Number(m![3])];
      const token = Buffer.from(Buffer.from(bytes.subarray(b + 1, c - 1)).toString('latin1').replace(/(00)+$/, ''), 'hex');
      const data = Buffer.concat([bytes.subarray(0, b), bytes.subarray(c, c + d)]);
      return run('openssl', ['ts', '-verify', '-token_in', '-in', tmp.file('token.der', token), '-data', tmp.file('data.bin', data), '-CAfile', pki.root.cert]).status;
    };
    expect(check(pdf)).toBe(0);
    const tampered = tamper(pdf, 700);
    expect(check(tampered)).not.toBe(0);
    const report2 = await verifyPdfSignatures(tampered, { trustedRoots: [pki.root.der] });
    expect(byField(report2, 'DauThoiGian').integrity).toBe('invalid');
  });

  it('one byte changed inside a signed range: pdfsig and LienThong both say invalid', async () => {
    const first = await agree('tampered inside the first range');
    expect(first.signatures.map((s) => s.integrity)).toEqual(['invalid', 'invalid']);
    expect(first.valid).toBe(false);
    expect(first.verdict).toContain('chữ ký 1 (Nguyễn Thị Hồng Nhung) không hợp lệ: giá trị băm của nội dung không khớp');
    const second = await agree('tampered inside the second range');
    expect(second.signatures[0].integrity).toBe('invalid');
  });

  it('a page content replaced after signing: the signature stays intact but the change is reported as not permitted', async () => {
    const report = await agree('page content replaced after signing');
    const sig = byField(report, 'LanhDao');
    expect(sig).toMatchObject({ integrity: 'valid', coversWholeDocument: false, valid: false });
    expect(sig.modificationsAfter?.permitted).toBe(false);
    expect(sig.modificationsAfter?.description).toContain('nội dung trang 1');
    expect(report.verdict).toMatch(/chữ ký 1 \(Nguyễn Thị Hồng Nhung\) bị vô hiệu do tài liệu bị thay đổi không được phép sau khi ký \(nội dung trang 1\)/);
  });

  it('a form value or a comment added after an approval signature is permitted', async () => {
    const filled = byField(await agree('form field filled after signing'), 'LanhDao');
    expect(filled.modificationsAfter).toMatchObject({ permitted: true, description: 'Sau khi ký có bổ sung được phép: điền ô biểu mẫu "So".' });
    expect(filled.valid).toBe(true);
    const commented = byField(await agree('comment added after signing'), 'LanhDao');
    expect(commented.modificationsAfter?.permitted).toBe(true);
    expect(commented.modificationsAfter?.description).toContain('chú thích mới (Text) trên trang 1');
  });

  it('trust: a root that is not trusted, and an expired certificate, agree with pdfsig and an NSS database', async () => {
    const stranger = byField(await agree('certificate from an unknown root'), 'NguoiLa');
    expect(stranger).toMatchObject({ integrity: 'valid', chain: 'unknown-root', valid: false });
    // pdfsig puts only the signer's certificate in the CMS: the root is nowhere to be found.
    expect(stranger.problems[0]).toBe('Không tìm thấy chứng thư số của tổ chức đã cấp chứng thư "Người Lạ".');
    const untrustedRoot = byField(await agree('chain ending in a root that is not trusted'), 'NguoiLa');
    expect(untrustedRoot).toMatchObject({ integrity: 'valid', chain: 'unknown-root', valid: false });
    expect(untrustedRoot.problems).toEqual(['Chứng thư gốc "Root CA không tin cậy" không nằm trong danh sách tổ chức chứng thực được tin cậy.']);
    const expired = byField(await agree('expired certificate'), 'HetHan');
    expect(expired).toMatchObject({ integrity: 'valid', chain: 'untrusted', valid: false });
    expect(expired.problems.join(' ')).toContain('đã hết hạn vào thời điểm ký');
  });
});
