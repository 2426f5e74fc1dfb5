import { createHash } from 'node:crypto';
import fs from 'node:fs';
import * as asn1js from 'asn1js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors/index.js';
import { assembleCms, buildSignedAttributes, embedCms, issueCertificate, prepareSignature, signPdf } from './index.js';
import { samplePdf } from './testing/pdfs.js';
import { expectAgreement, mustRun, readFile, type SigningWorld, signingWorld } from './testing/setup.js';
import { embeddedSignatures, missingToolsReason, pdfsig } from './testing/tools.js';

const skipReason = missingToolsReason(['pdfsig', 'qpdf', 'certutil', 'pk12util', 'openssl']);
const signingTime = new Date('2026-03-12T02:30:00Z'); // 09:30 in Hà Nội

let world: SigningWorld;
beforeAll(async () => {
  world = await signingWorld();
}, 60_000);
afterAll(() => world?.cleanup());

const box = { page: 1, x: 350, y: 100, width: 170, height: 85 };

describe('PAdES signature structure', () => {
  it('signs with ETSI.CAdES.detached, /M in Vietnam time, signed attributes without signingTime', async () => {
    const signed = await signPdf(await samplePdf(), world.leader, { placement: box, signingTime, reason: 'Phê duyệt', signerName: 'Nguyễn Thị Hồng Nhung' });
    const text = Buffer.from(signed).toString('latin1');
    expect(text).toContain('/SubFilter /ETSI.CAdES.detached');
    expect(text).toContain("/M (D:20260312093000+07'00')");
    const [sig] = embeddedSignatures(signed);
    const cms = asn1js.fromBER(sig.cms).result as asn1js.Sequence;
    const signedData = (cms.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence;
    const signerInfos = signedData.valueBlock.value.at(-1) as asn1js.Set;
    const signerInfo = signerInfos.valueBlock.value[0] as asn1js.Sequence;
    const attrs = signerInfo.valueBlock.value[3] as asn1js.Constructed;
    const oids = attrs.valueBlock.value.map((a) => ((a as asn1js.Sequence).valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString());
    expect(oids.sort()).toEqual(['1.2.840.113549.1.9.16.2.47', '1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4'].sort());
    expect(oids).not.toContain('1.2.840.113549.1.9.5'); // signingTime
    // The digest signed is over the whole file except the /Contents hole.
    expect(sig.byteRange[0]).toBe(0);
    expect(sig.byteRange[2] + sig.byteRange[3]).toBe(signed.length);
  });

  it('keeps the original bytes: the signed file starts with the unsigned one', async () => {
    const pdf = await samplePdf();
    const signed = await signPdf(pdf, world.leader, { placement: { invisible: true }, signingTime });
    expect(Buffer.from(signed.subarray(0, pdf.length)).equals(Buffer.from(pdf))).toBe(true);
  });

  it('refuses a second certification, and any signature on a P=1 document', async () => {
    const certified = await signPdf(await samplePdf(), world.leader, { placement: box, signingTime, certify: 2 });
    const again = await signPdf(certified, world.seal, { placement: box, signingTime, certify: 2 }).catch((e: unknown) => e);
    expect((again as AppError).code).toBe('signature-certify-not-first');
    const locked = await signPdf(await samplePdf(), world.leader, { placement: box, signingTime, certify: 1 });
    const more = await signPdf(locked, world.seal, { placement: box, signingTime }).catch((e: unknown) => e);
    expect(more).toBeInstanceOf(AppError);
    expect((more as AppError).status).toBe(409);
  });

  it('answers bad input with problems, not crashes', async () => {
    const notPdf = await signPdf(new TextEncoder().encode('hello'), world.leader, { placement: box, signingTime }).catch((e: unknown) => e);
    expect((notPdf as AppError).status).toBe(415);
    const badPage = await signPdf(await samplePdf(), world.leader, { placement: { ...box, page: 3 }, signingTime }).catch((e: unknown) => e);
    expect((badPage as AppError).status).toBe(400);
    expect((badPage as AppError).detail).toContain('Trang 3');
  });
});

describe.skipIf(skipReason)(`agreement with pdfsig, qpdf and openssl ${skipReason ?? ''}`, () => {
  it('a PDF with a classic cross-reference table', async () => {
    const signed = await signPdf(await samplePdf(), world.leader, { placement: box, signingTime, reason: 'Ký ban hành' });
    expectAgreement(world, signed, 'classic.pdf', 1);
    expect(pdfsig(world.file('classic.pdf')).output).toContain('Total document signed');
  });

  it('a PDF 1.5 with a cross-reference stream and object streams', async () => {
    const pdf = await samplePdf({ pages: 3, xrefStream: true });
    const signed = await signPdf(pdf, world.leader, { placement: box, signingTime, certify: 2 });
    expectAgreement(world, signed, 'xref-stream.pdf', 1);
    expect(Buffer.from(signed).toString('latin1')).toMatch(/\/Type \/XRef.*?\/Prev \d+/s);
  });

  it('an ECDSA P-256 signer', async () => {
    const signed = await signPdf(await samplePdf(), world.otherUnit, { placement: { attachmentCorner: true }, signingTime });
    expectAgreement(world, signed, 'ecdsa.pdf', 1);
  });

  it('tampering one byte inside a signed range makes pdfsig say invalid', async () => {
    const signed = await signPdf(await samplePdf(), world.leader, { placement: box, signingTime });
    const [sig] = embeddedSignatures(signed);
    const tampered = signed.slice();
    const at = Math.floor(sig.byteRange[1] / 2); // inside the first range, in the page content
    tampered[at] = tampered[at] === 0x20 ? 0x21 : 0x20;
    const result = pdfsig(world.file('tampered.pdf', tampered));
    expect(result.signatures).toHaveLength(1);
    expect(result.signatures[0].valid).toBe(false);
    expect(result.signatures[0].text).toMatch(/Signature is Invalid|Digest Mismatch/);
  });

  it('signs after a signature made by another tool (pdfsig -add-signature with an NSS key)', async () => {
    const p12 = world.file('nss-signer.p12');
    // A certificate of our CA imported into NSS, for pdfsig to sign with.
    const cert = await issueCertificate(world.root, { kind: 'official', commonName: 'Trần Văn Bình', organization: 'Sở Tư pháp' });
    fs.writeFileSync(p12, await cert.pkcs12('1234'));
    mustRun('pk12util', ['-i', p12, '-d', `sql:${world.nssDir}`, '-W', '1234']);
    const unsigned = world.file('for-nss.pdf', await samplePdf());
    const theirs = world.file('nss-signed.pdf');
    mustRun('pdfsig', ['-nssdir', `sql:${world.nssDir}`, '-add-signature', '-nick', 'Trần Văn Bình', '-new-signature-field-name', 'NssSignature', unsigned, theirs]);
    const signed = await signPdf(readFile(theirs), world.seal, { placement: box, signingTime });
    expectAgreement(world, signed, 'after-nss.pdf', 2);
  });

  it('external signing: prepare, sign the digest elsewhere, assemble and embed', async () => {
    const pdf = await samplePdf();
    const prepared = await prepareSignature(pdf, { placement: box, signingTime, signerName: 'Ký bằng USB token' });
    const [leaf, root] = await world.leader.certificates();
    const attrs = buildSignedAttributes(prepared.contentDigest, leaf);
    // The "token": signs the DER of the attributes (hashing them itself), as a PKCS#11 token does.
    const { signature, algorithm } = await world.leader.signDigest(new Uint8Array(createHash('sha256').update(attrs).digest()));
    const cms = await assembleCms({ signedAttributes: attrs, signature, algorithm, certificates: [leaf, root] });
    const signed = embedCms(prepared, cms);
    expectAgreement(world, signed, 'external.pdf', 1);
    // A CMS made for another preparation is refused, not embedded.
    const other = await prepareSignature(pdf, { placement: box, signingTime: new Date() });
    const err = (() => {
      try {
        return embedCms(other, cms);
      } catch (e) {
        return e;
      }
    })();
    expect((err as AppError).code).toBe('signature-cms-mismatch');
  });
});
