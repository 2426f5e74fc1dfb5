import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors/index.js';
import { missingToolsReason, tempDir } from '../testing/tools.js';
import { verifyPdfSignatures, type VerificationReport } from './index.js';
import { opensslPki, type OpensslPki } from './testing/openssl-pki.js';
import { PdfFile } from './pdf-file.js';
import { collectRoles } from './roles.js';
import { addAnnotation, addDss, appendUpdate, basePdf, fillTextField, opensslSign, pdfDate, serialize, type OpensslSignOptions } from './testing/pdf-edits.js';

/**
 * The validator's rules on its own: input it must refuse or survive, DocMDP certification levels,
 * revocation from the DSS, PAdES levels B-B → B-LTA, removed signature fields, claimed times.
 * Signatures come from `openssl cms`/`openssl ts` (the agreement with pdfsig is agreement.test.ts).
 */

const skipReason = missingToolsReason(['openssl']);
const tmp = tempDir('lienthong-verify-rules-');
afterAll(() => tmp.cleanup());

let pki: OpensslPki;
let base: Uint8Array;
let sign: (pdf: Uint8Array, fieldName: string, extra?: Partial<OpensslSignOptions>) => Uint8Array;
let stamp: (pdf: Uint8Array, fieldName: string) => Uint8Array;
const verify = (pdf: Uint8Array, trustedRoots = [pki.root.der]) => verifyPdfSignatures(pdf, { trustedRoots });
const byField = (report: VerificationReport, field: string) => report.signatures.find((s) => s.fieldName === field)!;

beforeAll(async () => {
  base = await basePdf({ textField: true });
  if (skipReason) return;
  pki = opensslPki(path.join(tmp.dir, 'pki'));
  const work = path.join(tmp.dir, 'work');
  fs.mkdirSync(work);
  sign = (pdf, fieldName, extra = {}) => opensslSign(pdf, { work, pki, fieldName, kind: 'ETSI.CAdES.detached', ...extra });
  stamp = (pdf, fieldName) => opensslSign(pdf, { work, pki, fieldName, kind: 'ETSI.RFC3161' });
}, 120_000);

describe('input the validator refuses or survives', () => {
  it('refuses a file that is not a PDF with a Vietnamese 415 problem', async () => {
    const error = await verifyPdfSignatures(Buffer.from('PK\u0003\u0004 not a pdf'), { trustedRoots: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 415, title: 'Định dạng tệp không được hỗ trợ' });
    expect((error as AppError).detail).toContain('không phải PDF');
  });

  it('refuses a PDF whose structure cannot be read (422), never a 500', async () => {
    const error = await verifyPdfSignatures(Buffer.from('%PDF-1.7\nnothing here\n%%EOF'), { trustedRoots: [] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, title: 'Tệp PDF bị hỏng hoặc được mã hoá' });
  });

  it('a PDF without signatures gives an empty list and says so', async () => {
    const report = await verifyPdfSignatures(base, { trustedRoots: [] });
    expect(report).toEqual({ signatures: [], verdict: 'Tài liệu không có chữ ký số.', valid: false });
  });
});

describe.skipIf(skipReason)(`signatures checked by the rules${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('a corrupt signature dictionary or CMS makes that signature invalid, never a crash', async () => {
    const signed = sign(base, 'LanhDao');
    const text = Buffer.from(signed).toString('latin1');
    const contentsAt = text.lastIndexOf('/Contents <') + 11;
    const garbageCms = Buffer.from(signed);
    garbageCms.write('3082ffff0102', contentsAt, 'latin1');
    const rangeAt = text.lastIndexOf('/ByteRange [0 ') + 14;
    const wrongRange = Buffer.from(signed);
    wrongRange.write('17', rangeAt, 'latin1');
    const notARange = Buffer.from(signed);
    notARange.write('(x', rangeAt - 4, 'latin1');
    for (const [pdf, problem] of [
      [garbageCms, 'Gói chữ ký (CMS) trong /Contents bị hỏng, không đọc được.'],
      [wrongRange, 'Vùng ký (/ByteRange) không khớp với vị trí giá trị chữ ký (/Contents): phần không được ký chứa dữ liệu khác.'],
      [notARange, 'Từ điển chữ ký bị hỏng, không đọc được.'],
    ] as const) {
      const report = await verify(pdf);
      expect(report.signatures).toHaveLength(1);
      expect(report.signatures[0]).toMatchObject({ integrity: 'invalid', valid: false });
      expect(report.signatures[0].problems[0]).toBe(problem);
      expect(report.verdict).toMatch(/^Tài liệu có 1 chữ ký số: chữ ký 1 .*không hợp lệ: /);
    }
  });

  it('DocMDP P=2: filling the form and signing again are permitted, a comment is not', async () => {
    const certified = sign(base, 'LanhDao', { certify: 2 });
    expect(byField(await verify(certified), 'LanhDao').certification).toEqual({ permissions: 2 });
    const filled = await verify(fillTextField(certified, '15/QD-UBND'));
    expect(byField(filled, 'LanhDao').modificationsAfter).toMatchObject({ permitted: true });
    expect(filled.valid).toBe(true);
    const sealed = await verify(sign(fillTextField(certified, '15/QD-UBND'), 'DongDau'));
    expect(byField(sealed, 'LanhDao').modificationsAfter?.changes.map((c) => [c.category, c.description, c.permitted])).toEqual(
      expect.arrayContaining([
        ['form', 'điền ô biểu mẫu "So"', true],
        ['signature', 'chữ ký số mới (ô "DongDau")', true],
      ]),
    );
    expect(sealed.verdict).toBe('Tài liệu có 2 chữ ký số, tất cả hợp lệ và được tin cậy.');
    const commented = await verify(addAnnotation(certified, 'Ý kiến'));
    const sig = byField(commented, 'LanhDao');
    expect(sig.modificationsAfter).toMatchObject({ permitted: false });
    expect(sig.modificationsAfter?.description).toBe(
      'Sau khi ký, tài liệu bị thay đổi không được phép: chú thích mới (Text) trên trang 1. Chữ ký chứng thực chỉ cho phép điền biểu mẫu và ký thêm.',
    );
    expect(sig.valid).toBe(false);
  });

  it('DocMDP P=3 permits comments; P=1 permits only a document time-stamp and validation data', async () => {
    const p3 = await verify(addAnnotation(sign(base, 'LanhDao', { certify: 3 }), 'Ý kiến'));
    expect(byField(p3, 'LanhDao').modificationsAfter?.permitted).toBe(true);
    const p1 = sign(base, 'LanhDao', { certify: 1 });
    expect(byField(await verify(fillTextField(p1, '1')), 'LanhDao').modificationsAfter?.permitted).toBe(false);
    expect(byField(await verify(sign(p1, 'Khac')), 'LanhDao').modificationsAfter?.permitted).toBe(false);
    const archived = await verify(stamp(addDss(p1, { certs: [pki.official.der, pki.root.der], crls: [pki.crl] }), 'DauThoiGian'));
    expect(byField(archived, 'LanhDao').modificationsAfter).toMatchObject({ permitted: true });
    expect(archived.valid).toBe(true);
  });

  it('levels: B-B, then B-T with a document time-stamp, B-LT with the DSS, B-LTA with a time-stamp over the DSS', async () => {
    const bb = sign(base, 'LanhDao');
    expect(byField(await verify(bb), 'LanhDao').level).toBe('B-B');
    const bt = stamp(bb, 'TS1');
    const btReport = await verify(bt);
    expect(btReport.signatures.map((s) => [s.fieldName, s.level])).toEqual([
      ['LanhDao', 'B-T'],
      ['TS1', 'B-T'],
    ]);
    expect(byField(btReport, 'TS1')).toMatchObject({ kind: 'document-timestamp', integrity: 'valid', chain: 'trusted', signerName: 'TSA thử nghiệm' });
    const blt = addDss(bt, { certs: [pki.official.der, pki.root.der, pki.tsa.der], crls: [pki.crl] });
    expect(byField(await verify(blt), 'LanhDao').level).toBe('B-LT');
    const blta = await verify(stamp(blt, 'TS2'));
    expect(blta.signatures.map((s) => [s.fieldName, s.level])).toEqual([
      ['LanhDao', 'B-LTA'],
      ['TS1', 'B-T'],
      ['TS2', 'B-LTA'],
    ]);
    expect(blta.verdict).toBe('Tài liệu có 1 chữ ký số và 2 dấu thời gian tài liệu, tất cả hợp lệ và được tin cậy.');
    // A DSS without revocation data for the signer's certificate is not B-LT.
    const noCrl = addDss(bt, { certs: [pki.official.der, pki.root.der], crls: [] });
    expect(byField(await verify(noCrl), 'LanhDao').level).toBe('B-T');
  });

  it('a certificate revoked in a CRL carried by the DSS is not trusted; the same file without it is', async () => {
    const signed = sign(base, 'ThuHoi', { signer: pki.revoked });
    expect(byField(await verify(signed), 'ThuHoi').chain).toBe('trusted');
    const report = await verify(addDss(signed, { certs: [pki.root.der], crls: [pki.crl] }));
    const sig = byField(report, 'ThuHoi');
    expect(sig).toMatchObject({ integrity: 'valid', chain: 'untrusted', valid: false });
    expect(sig.problems[0]).toMatch(/^Chứng thư số "Phạm Văn Thu Hồi" đã bị thu hồi từ \d\d\/\d\d\/\d{4} \d\d:\d\d\.$/);
    expect(report.verdict).toContain('nguyên vẹn nhưng chứng thư số không được tin cậy: chứng thư số "Phạm Văn Thu Hồi" đã bị thu hồi');
  });

  it('without trusted roots the chain ends in an unknown root', async () => {
    const sig = byField(await verify(sign(base, 'LanhDao'), []), 'LanhDao');
    expect(sig).toMatchObject({ integrity: 'valid', chain: 'unknown-root', valid: false });
  });

  it('a signature field removed by a later update is still reported, and its removal is not permitted', async () => {
    const one = sign(base, 'A');
    const two = sign(one, 'B');
    // Put back the catalog and page 1 of the first signed revision: field B disappears from the form.
    const earlier = new PdfFile(two).view(one.length);
    const roles = collectRoles(earlier);
    const objects = new Map<number, string>();
    for (const num of [roles.rootNum!, [...roles.pages.keys()][0]]) objects.set(num, serialize(earlier.get(num)));
    const report = await verify(appendUpdate(two, objects));
    expect(report.signatures.map((s) => s.fieldName)).toEqual(['A', 'B']);
    expect(byField(report, 'B').problems).toContain('Ô chữ ký này đã bị gỡ khỏi tài liệu ở một lần cập nhật sau.');
    // Compared with B's revision the field is gone (not permitted); compared with A's, nothing changed.
    expect(byField(report, 'B').modificationsAfter).toMatchObject({ permitted: false });
    expect(byField(report, 'B').modificationsAfter?.description).toContain('gỡ ô chữ ký "B"');
    expect(byField(report, 'A').modificationsAfter?.permitted).toBe(true);
    expect(report.valid).toBe(false);
  });

  it('a signing time claimed in the future is reported', async () => {
    const future = sign(base, 'LanhDao', { signingTime: pdfDate(new Date(Date.now() + 30 * 86_400_000)) });
    const sig = byField(await verify(future), 'LanhDao');
    expect(sig.problems).toContain('Thời điểm ký ghi trong chữ ký ở tương lai.');
    expect(sig.valid).toBe(false);
  });
});
