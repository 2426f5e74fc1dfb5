import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addIssueFields, addValidationData, createCrl, fillIssueNumber, signPdf } from '../index.js';
import { sealPng, signaturePng } from '../testing/images.js';
import { samplePdf, SIGNATURE_PLACEHOLDER } from '../testing/pdfs.js';
import { signingWorld, type SigningWorld } from '../testing/setup.js';
import { missingToolsReason } from '../testing/tools.js';
import { startTestTsa, type TestTsa } from '../testing/tsa.js';
import { verifyPdfSignatures, type VerificationReport } from './index.js';
import { addAnnotation, replacePageContent, tamper } from './testing/pdf-edits.js';
import { pdfsigChain, pdfsigVerdicts } from './testing/pdfsig.js';

/**
 * The validator on what LienThong's own engine signs (B-B, B-T with a time-stamp authority, B-LT
 * with a DSS, the certified outgoing-document chain with the number filled in), each verdict
 * compared with pdfsig; then the same files tampered with or changed after signing.
 */

const skipReason = missingToolsReason(['pdfsig', 'openssl', 'certutil']);

let world: SigningWorld;
let tsa: TestTsa;
const corpus = new Map<string, Uint8Array>();

beforeAll(async () => {
  if (skipReason) return;
  world = await signingWorld();
  tsa = await startTestTsa();
  const now = new Date();
  const plain = await samplePdf({ placeholder: SIGNATURE_PLACEHOLDER });
  corpus.set('B-B, visible, RSA', await signPdf(plain, world.leader, {
    fieldName: 'LanhDao', placement: { placeholder: SIGNATURE_PLACEHOLDER }, appearance: { signatureImage: signaturePng() }, reason: 'Ký ban hành', location: 'Phú Lộc', signingTime: now,
  }));
  corpus.set('B-B, invisible, ECDSA, object streams', await signPdf(await samplePdf({ xrefStream: true }), world.otherUnit, { fieldName: 'Den', placement: { invisible: true }, signingTime: now }));
  corpus.set('B-T', await signPdf(plain, world.seal, { fieldName: 'DauCoQuan', placement: { attachmentCorner: true }, appearance: { lines: ['Số: 12/QĐ-UBND'] }, signingTime: now, timestampUrl: tsa.url }));
  const tsaCert = new Uint8Array(Buffer.from(fs.readFileSync(tsa.tsaCertificate, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64'));
  corpus.set('B-LT', await addValidationData(corpus.get('B-T')!, {
    certificates: [...(await world.seal.certificates()), tsaCert, tsa.caCertificateDer],
    crls: [await createCrl(world.root, [])],
  }));
  const withFields = await addIssueFields(plain, { seal: { fieldName: 'DauCoQuan', placement: { placeholder: SIGNATURE_PLACEHOLDER } } });
  const certified = await signPdf(withFields, world.leader, {
    fieldName: 'LanhDao', placement: { placeholder: SIGNATURE_PLACEHOLDER }, appearance: { signatureImage: signaturePng() }, certify: 2, signingTime: now,
  });
  corpus.set('certified P=2', certified);
  const numbered = await fillIssueNumber(certified, { number: '12/QĐ-UBND', date: 'ngày 12 tháng 3 năm 2026' });
  corpus.set('certified, numbered, sealed', await signPdf(numbered, world.seal, {
    fieldName: 'DauCoQuan', placement: { invisible: true }, appearance: { sealImage: sealPng() }, signingTime: now,
  }));
  corpus.set('certified P=2, then a comment', addAnnotation(certified, 'Ý kiến'));
  corpus.set('B-B, page content replaced', replacePageContent(corpus.get('B-B, visible, RSA')!, 'BT /F1 24 Tf 50 700 Td (Noi dung khac) Tj ET'));
  const signed = corpus.get('B-B, visible, RSA')!;
  corpus.set('B-B, one byte changed', tamper(signed, Math.floor(signed.length / 3)));
}, 120_000);
afterAll(async () => {
  await tsa?.close();
  world?.cleanup();
});

async function agree(name: string): Promise<VerificationReport> {
  const pdf = corpus.get(name)!;
  const ours = await verifyPdfSignatures(pdf, { trustedRoots: [world.root.certificate, tsa.caCertificateDer] });
  const integrity = pdfsigVerdicts(pdf, world.dir);
  const trust = pdfsigVerdicts(pdf, world.dir, { nssDir: world.nssDir });
  const signedFields = integrity.filter((p) => !/unsigned/i.test(p.text) && p.text.includes('Signed Ranges'));
  expect(ours.signatures.map((s) => s.fieldName).sort()).toEqual(signedFields.map((p) => p.field).sort());
  for (const theirs of signedFields) {
    const mine = ours.signatures.find((s) => s.fieldName === theirs.field)!;
    expect(mine.integrity, theirs.field).toBe(theirs.valid ? 'valid' : 'invalid');
    expect(mine.coversWholeDocument, theirs.field).toBe(theirs.wholeDocument);
    const chain = pdfsigChain(trust.find((t) => t.field === theirs.field)!.certificate);
    if (mine.integrity === 'valid' && chain) expect(mine.chain, theirs.field).toBe(chain);
  }
  return ours;
}

describe.skipIf(skipReason)(`the engine's signatures, checked by the validator and by pdfsig${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('B-B signatures (RSA with a visible appearance, ECDSA invisible in a file with object streams)', async () => {
    const rsa = (await agree('B-B, visible, RSA')).signatures[0];
    expect(rsa).toMatchObject({ integrity: 'valid', chain: 'trusted', level: 'B-B', subFilter: 'ETSI.CAdES.detached', reason: 'Ký ban hành', location: 'Phú Lộc', signerName: 'Nguyễn Thị Hồng Nhung', valid: true });
    const ec = (await agree('B-B, invisible, ECDSA, object streams')).signatures[0];
    expect(ec).toMatchObject({ integrity: 'valid', chain: 'trusted', level: 'B-B', algorithm: 'ECDSA-SHA256', signerName: 'Sở Nội vụ tỉnh Thừa Thiên Huế' });
  });

  it('B-T: the signature time-stamp is valid, from the TSA, and gives the signing time', async () => {
    const sig = (await agree('B-T')).signatures[0];
    expect(sig.level).toBe('B-T');
    expect(sig.timestamp).toMatchObject({ valid: true, authority: 'LienThong Test TSA', chain: 'trusted' });
    expect(sig.signingTime).toBe(sig.timestamp?.time);
  });

  it('B-LT: the DSS holds the chains and the CRL', async () => {
    const report = await agree('B-LT');
    expect(report.signatures[0].level).toBe('B-LT');
    expect(report.signatures[0].modificationsAfter).toMatchObject({ permitted: true });
    expect(report.valid).toBe(true);
  });

  it('the certified outgoing document: number filled and seal added are permitted under P=2; a comment is not', async () => {
    expect((await agree('certified P=2')).signatures[0].certification).toEqual({ permissions: 2 });
    const issued = await agree('certified, numbered, sealed');
    expect(issued.signatures.map((s) => [s.fieldName, s.integrity, s.chain])).toEqual([
      ['LanhDao', 'valid', 'trusted'],
      ['DauCoQuan', 'valid', 'trusted'],
    ]);
    const leader = issued.signatures[0];
    expect(leader.modificationsAfter?.permitted).toBe(true);
    expect(leader.modificationsAfter?.changes.filter((c) => c.category === 'form').length).toBeGreaterThan(0);
    expect(issued.verdict).toBe('Tài liệu có 2 chữ ký số, tất cả hợp lệ và được tin cậy.');
    const commented = (await agree('certified P=2, then a comment')).signatures[0];
    expect(commented.modificationsAfter?.permitted).toBe(false);
    expect(commented.valid).toBe(false);
  });

  it('tampering and an unpermitted change: pdfsig and the validator agree on integrity and coverage', async () => {
    const tampered = await agree('B-B, one byte changed');
    expect(tampered.signatures[0].integrity).toBe('invalid');
    const replaced = (await agree('B-B, page content replaced')).signatures[0];
    expect(replaced).toMatchObject({ integrity: 'valid', coversWholeDocument: false, valid: false });
    expect(replaced.modificationsAfter?.description).toContain('nội dung trang 1');
  });
});
