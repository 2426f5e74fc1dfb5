import { PDFDocument, PDFName } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors/index.js';
import {
  addIssueFields,
  fillIssueNumber,
  ISSUE_DATE_FIELD,
  ISSUE_NUMBER_FIELD,
  signPdf,
  verifyPdfSignatures,
} from './index.js';
import { sealPng, signaturePng } from './testing/images.js';
import { samplePdf, SIGNATURE_PLACEHOLDER } from './testing/pdfs.js';
import { expectAgreement, type SigningWorld, signingWorld } from './testing/setup.js';
import { missingToolsReason, pdfsig, run } from './testing/tools.js';

/**
 * The life of an outgoing document: fields for the number and date (and the seal) added to the
 * approved draft; the leader's certification signature (P=2); the clerk's number and date; the
 * agency seal; later the receiving agency's incoming stamp; the validation data (DSS). Every
 * signature must stay valid for pdfsig, qpdf and openssl after every step.
 */
const skipReason = missingToolsReason(['pdfsig', 'qpdf', 'certutil', 'openssl']);
const SEAL_FIELD = 'DauCoQuan';

let world: SigningWorld;
beforeAll(async () => {
  world = await signingWorld();
}, 60_000);
afterAll(() => world?.cleanup());

async function issuedDocument() {
  const draft = await samplePdf({ placeholder: SIGNATURE_PLACEHOLDER });
  const withFields = await addIssueFields(draft, { seal: { fieldName: SEAL_FIELD, placement: { placeholder: SIGNATURE_PLACEHOLDER } } });
  const leader = await signPdf(withFields, world.leader, {
    fieldName: 'ChuKyLanhDao',
    placement: { placeholder: SIGNATURE_PLACEHOLDER },
    appearance: { signatureImage: signaturePng() },
    certify: 2,
    reason: 'Ký ban hành',
    signerName: 'Nguyễn Thị Hồng Nhung',
    signingTime: new Date('2026-03-12T02:30:00Z'),
  });
  const numbered = await fillIssueNumber(leader, { number: '12/QĐ-UBND', date: 'ngày 12 tháng 3 năm 2026' });
  const sealed = await signPdf(numbered, world.seal, {
    fieldName: SEAL_FIELD,
    placement: { invisible: true }, // the prepared field keeps its place
    appearance: { sealImage: sealPng() },
    reason: 'Phát hành văn bản số 12/QĐ-UBND',
    signerName: 'Ủy ban nhân dân huyện Phú Lộc',
    signingTime: new Date('2026-03-12T03:00:00Z'),
  });
  const received = await signPdf(sealed, world.otherUnit, {
    placement: { attachmentCorner: true },
    appearance: { lines: ['ĐẾN Số: 45', 'Sở Nội vụ tỉnh Thừa Thiên Huế', '2026-03-13T08:15:00+07:00'] },
    reason: 'Tiếp nhận văn bản đến',
    signingTime: new Date('2026-03-13T01:15:00Z'),
  });
  return { withFields, leader, numbered, sealed, received };
}

describe('number and date of issue after the leader signed', () => {
  it('fills the prepared fields and keeps the values and appearances in the file', async () => {
    const { numbered } = await issuedDocument();
    const doc = await PDFDocument.load(numbered);
    const form = doc.getForm();
    expect(form.getTextField(ISSUE_NUMBER_FIELD).getText()).toBe('12/QĐ-UBND');
    expect(form.getTextField(ISSUE_DATE_FIELD).getText()).toBe('ngày 12 tháng 3 năm 2026');
    const widget = form.getTextField(ISSUE_NUMBER_FIELD).acroField.getWidgets()[0];
    expect(widget.dict.lookup(PDFName.of('AP'))).toBeDefined();
  });

  it('refuses to fill a document without the fields, instead of breaking the signature', async () => {
    const signed = await signPdf(await samplePdf(), world.leader, { placement: { invisible: true }, certify: 2, signingTime: new Date() });
    const err = await fillIssueNumber(signed, { number: '1/QĐ', date: '01/01/2026' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('issue-fields-missing');
  });

  it('adds the fields once: a second call returns the same bytes', async () => {
    const once = await addIssueFields(await samplePdf());
    expect(await addIssueFields(once)).toBe(once);
  });

  it('the validator sees three valid signatures and only permitted changes after the certification', async () => {
    const { received } = await issuedDocument();
    const report = await verifyPdfSignatures(received, { trustedRoots: [world.root.certificate] });
    expect(report.signatures).toHaveLength(3);
    expect(report.signatures.map((s) => s.integrity)).toEqual(['valid', 'valid', 'valid']);
    expect(report.signatures[0].certification).toEqual({ permissions: 2 });
    expect(report.signatures[0].modificationsAfter?.permitted).toBe(true);
    expect(report.valid).toBe(true);
  });
});

describe.skipIf(skipReason)(`the chain agrees with pdfsig, qpdf and openssl ${skipReason ?? ''}`, () => {
  it('leader (certify P=2) → number filled → seal → incoming stamp: all valid and trusted after each step', async () => {
    const steps = await issuedDocument();
    expectAgreement(world, steps.leader, 'step1-leader.pdf', 1);
    expectAgreement(world, steps.numbered, 'step2-numbered.pdf', 1);
    expectAgreement(world, steps.sealed, 'step3-sealed.pdf', 2);
    expectAgreement(world, steps.received, 'step4-received.pdf', 3);
    const out = pdfsig(world.file('step4-received.pdf')).signatures;
    expect(out[0].text).toContain('Not total document signed');
    expect(out[2].text).toContain('Total document signed');
    // Each step only appends: every earlier file is a prefix of the next.
    const prefix = (a: Uint8Array, b: Uint8Array) => Buffer.from(b.subarray(0, a.length)).equals(Buffer.from(a));
    expect(prefix(steps.withFields, steps.leader) && prefix(steps.leader, steps.numbered) && prefix(steps.numbered, steps.sealed) && prefix(steps.sealed, steps.received)).toBe(true);
  });

  it('the number and the date are printed on the page (poppler renders the field appearances)', async () => {
    const { received } = await issuedDocument();
    const text = run('pdftotext', ['-f', '1', '-l', '1', world.file('printed.pdf', received), '-']).stdout;
    expect(text.normalize('NFC')).toContain('12/QĐ-UBND');
    expect(text.normalize('NFC')).toContain('ngày 12 tháng 3 năm'); // the template's "2026" under the white box is extracted too
    expect(text.normalize('NFC')).toContain('ĐẾN Số: 45');
  });
});
