import fs from 'node:fs';
import * as asn1js from 'asn1js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors/index.js';
import { addDocumentTimestamp, addValidationData, createCrl, readValidationData, requestTimestamp, signPdf, verifyPdfSignatures } from './index.js';
import { samplePdf } from './testing/pdfs.js';
import { expectAgreement, type SigningWorld, signingWorld } from './testing/setup.js';
import { embeddedSignatures, missingToolsReason, pdfsig, run } from './testing/tools.js';
import { startTestTsa, type TestTsa } from './testing/tsa.js';

/**
 * PAdES B-T (an RFC 3161 time-stamp on the signature value, from a local `openssl ts` authority)
 * B-LT (the chains and CRLs in a DSS) and B-LTA (a document time-stamp over it all), checked with
 * openssl ts -verify, pdfsig and the validator.
 */
const skipReason = missingToolsReason(['pdfsig', 'qpdf', 'certutil', 'openssl']);

let world: SigningWorld;
let tsa: TestTsa;
beforeAll(async () => {
  if (skipReason) return;
  [world, tsa] = await Promise.all([signingWorld(), startTestTsa()]);
}, 60_000);
afterAll(async () => {
  await tsa?.close();
  world?.cleanup();
});

/** The signature value and the time-stamp token (unsigned attribute) of a CMS SignedData. */
function signatureAndToken(cms: Uint8Array): { signature: Uint8Array; token: Uint8Array | null } {
  const info = asn1js.fromBER(new Uint8Array(cms)).result as asn1js.Sequence;
  const signedData = (info.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence;
  const signerInfo = (signedData.valueBlock.value.at(-1) as asn1js.Set).valueBlock.value[0] as asn1js.Sequence;
  const signature = signerInfo.valueBlock.value.find((v) => v instanceof asn1js.OctetString) as asn1js.OctetString;
  const unsigned = signerInfo.valueBlock.value.find((v) => v.idBlock.tagClass === 3 && v.idBlock.tagNumber === 1) as asn1js.Constructed | undefined;
  let token: Uint8Array | null = null;
  for (const attr of unsigned?.valueBlock.value ?? []) {
    const [oid, values] = (attr as asn1js.Sequence).valueBlock.value as [asn1js.ObjectIdentifier, asn1js.Set];
    if (oid.valueBlock.toString() === '1.2.840.113549.1.9.16.2.14') token = new Uint8Array(values.valueBlock.value[0].toBER(false));
  }
  return { signature: new Uint8Array(signature.valueBlock.valueHexView), token };
}

describe.skipIf(skipReason)(`time-stamps (B-T) and validation data (B-LT) ${skipReason ?? ''}`, () => {
  it('B-T: the token time-stamps the signature value and passes openssl ts -verify', async () => {
    const before = tsa.requests();
    const signed = await signPdf(await samplePdf(), world.leader, { placement: { attachmentCorner: true }, signingTime: new Date(), timestampUrl: tsa.url });
    expect(tsa.requests()).toBe(before + 1);
    expectAgreement(world, signed, 'b-t.pdf', 1);
    const [sig] = embeddedSignatures(signed);
    const { signature, token } = signatureAndToken(sig.cms);
    expect(token).not.toBeNull();
    const tokenFile = world.file('token.tst', token!);
    const dataFile = world.file('signature-value.bin', signature);
    const verified = run('openssl', ['ts', '-verify', '-in', tokenFile, '-token_in', '-data', dataFile, '-CAfile', tsa.caCertificate, '-untrusted', tsa.tsaCertificate]);
    expect(verified.stdout + verified.stderr).toContain('Verification: OK');
    // Against other data the same token fails: it is bound to this signature.
    const other = run('openssl', ['ts', '-verify', '-in', tokenFile, '-token_in', '-data', world.rootPem, '-CAfile', tsa.caCertificate, '-untrusted', tsa.tsaCertificate]);
    expect(other.stdout + other.stderr).not.toContain('Verification: OK');
  });

  it('B-LT: the DSS with the signer chain, the TSA chain and the CRL; the validator reports B-LT', async () => {
    const signed = await signPdf(await samplePdf({ xrefStream: true }), world.seal, { placement: { invisible: true }, signingTime: new Date(), timestampUrl: tsa.url });
    const tsaCert = new Uint8Array(Buffer.from(fs.readFileSync(tsa.tsaCertificate, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64'));
    const withDss = await addValidationData(signed, {
      certificates: [...(await world.seal.certificates()), tsaCert, tsa.caCertificateDer],
      crls: [await createCrl(world.root, [])],
    });
    expect((await readValidationData(withDss)).certificates).toHaveLength(4);
    expectAgreement(world, withDss, 'b-lt.pdf', 1);
    const report = await verifyPdfSignatures(withDss, { trustedRoots: [world.root.certificate, tsa.caCertificateDer] });
    expect(report.signatures[0].integrity).toBe('valid');
    expect(report.signatures[0].timestamp?.valid).toBe(true);
    expect(report.signatures[0].level).toBe('B-LT');
  });

  it('B-LTA: a document time-stamp over the file with its DSS; openssl ts -verify on its byte ranges', async () => {
    const signed = await signPdf(await samplePdf(), world.leader, { placement: { invisible: true }, signingTime: new Date(), timestampUrl: tsa.url, certify: 1 });
    const tsaCert = new Uint8Array(Buffer.from(fs.readFileSync(tsa.tsaCertificate, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64'));
    const withDss = await addValidationData(signed, { certificates: [...(await world.leader.certificates()), tsaCert, tsa.caCertificateDer], crls: [await createCrl(world.root, [])] });
    const archived = await addDocumentTimestamp(withDss, { timestampUrl: tsa.url }); // permitted even under P=1
    expect(Buffer.from(archived).toString('latin1')).toContain('/SubFilter /ETSI.RFC3161');
    const sigs = embeddedSignatures(archived);
    expect(sigs).toHaveLength(2);
    const docTs = sigs[1];
    expect(docTs.byteRange[2] + docTs.byteRange[3]).toBe(archived.length); // covers the whole file, DSS included
    const verified = run('openssl', ['ts', '-verify', '-in', world.file('doc-ts.tst', docTs.cms), '-token_in', '-data', world.file('doc-ts.bin', docTs.signedContent), '-CAfile', tsa.caCertificate, '-untrusted', tsa.tsaCertificate]);
    expect(verified.stdout + verified.stderr).toContain('Verification: OK');
    expect(run('qpdf', ['--check', world.file('b-lta.pdf', archived)]).status).toBe(0);
    const first = pdfsig(world.file('b-lta.pdf')).signatures.find((s) => s.signed && /ETSI\.CAdES/.test(s.text));
    expect(first?.valid).toBe(true);
    const report = await verifyPdfSignatures(archived, { trustedRoots: [world.root.certificate, tsa.caCertificateDer] });
    expect(report.signatures[0].integrity).toBe('valid');
    expect(report.signatures[0].modificationsAfter?.permitted).toBe(true);
    expect(report.signatures[0].level).toBe('B-LTA');
  });

  it('an unreachable authority is a problem with a Vietnamese title, not a crash', async () => {
    const err = await requestTimestamp('http://127.0.0.1:9/tsa', new Uint8Array([1, 2, 3]), { timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(502);
    expect((err as AppError).title).toBe('Không lấy được dấu thời gian');
  });
});
