import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppError } from '../errors/index.js';
import { signPdf, verifyPdfSignatures } from './index.js';
import { IncrementalPdf } from './pdf/incremental.js';
import { samplePdf } from './testing/pdfs.js';
import { expectAgreement, readFile, type SigningWorld, signingWorld } from './testing/setup.js';
import { missingToolsReason, mustRun } from './testing/tools.js';

/**
 * The incremental writer on files made by other tools and on damaged ones: qpdf's linearized and
 * object-stream output, a cross-reference with a wrong offset (read by pdf-lib's full parser
 * instead), a file whose end is cut (rewritten once when unsigned, refused when signed).
 */
const skipReason = missingToolsReason(['pdfsig', 'qpdf', 'certutil', 'openssl']);
const signingTime = new Date('2026-03-12T02:30:00Z');
const box = { page: 1, x: 350, y: 100, width: 170, height: 85 };

let world: SigningWorld;
beforeAll(async () => {
  world = await signingWorld();
}, 60_000);
afterAll(() => world?.cleanup());

/** Replaces the first match of `pattern` (same length) in the file's text. */
function patch(pdf: Uint8Array, pattern: RegExp, replace: (m: string) => string): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  const m = pattern.exec(text)!;
  const replacement = replace(m[0]);
  expect(replacement.length).toBe(m[0].length);
  return new Uint8Array(Buffer.from(text.slice(0, m.index) + replacement + text.slice(m.index + m[0].length), 'latin1'));
}

describe('reading what signing needs', () => {
  it('objects are read lazily through the cross-reference: only a few of a 50-page file', async () => {
    const pdf = await samplePdf({ pages: 50 });
    const update = await IncrementalPdf.open(pdf);
    const loaded = (update.context as unknown as { indirectObjects: Map<unknown, unknown> }).indirectObjects.size;
    expect(loaded).toBeLessThan(10);
    expect(update.trailer.xrefStream).toBe(false);
    const full = await PDFDocument.load(pdf);
    expect(full.context.enumerateIndirectObjects().length).toBeGreaterThan(100);
  });

  it('a wrong offset in the cross-reference falls back to the full parser, and the signature is still valid', async () => {
    const pdf = await samplePdf();
    // The offset of object 3 points one byte too far (entries are 20 bytes after "xref\n0 N\n").
    const broken = patch(pdf, /xref\n0 \d+\n(?:.{20}){3}(\d{10})/s, (m) => {
      const off = m.slice(-10);
      return m.slice(0, -10) + String(Number(off) + 1).padStart(10, '0');
    });
    const signed = await signPdf(broken, world.leader, { placement: box, signingTime });
    const doc = await PDFDocument.load(signed);
    expect(doc.getPageCount()).toBe(1);
    const report = await verifyPdfSignatures(signed, { trustedRoots: [world.root.certificate] });
    expect(report.signatures.map((s) => s.integrity)).toEqual(['valid']);
  });

  it('a file cut before its trailer is rewritten once when unsigned, refused when signed', async () => {
    const pdf = await samplePdf();
    const cut = pdf.subarray(0, Buffer.from(pdf).lastIndexOf('xref'));
    const signed = await signPdf(cut, world.leader, { placement: box, signingTime });
    expect(Buffer.from(signed).toString('latin1')).toContain('/ByteRange');
    const once = await signPdf(pdf, world.leader, { placement: box, signingTime });
    const cutSigned = once.subarray(0, Buffer.from(once).lastIndexOf('startxref'));
    const err = await signPdf(cutSigned, world.seal, { placement: box, signingTime }).catch((e: unknown) => e);
    expect((err as AppError).status).toBe(422);
  });
});

describe.skipIf(skipReason)(`files from other tools ${skipReason ?? ''}`, () => {
  it('qpdf --linearize output: signed by incremental update, valid', async () => {
    const input = world.file('lin-in.pdf', await samplePdf({ pages: 3 }));
    const linearized = world.file('lin.pdf');
    mustRun('qpdf', ['--linearize', input, linearized]);
    const signed = await signPdf(readFile(linearized), world.leader, { placement: box, signingTime, certify: 2 });
    expectAgreement(world, signed, 'lin-signed.pdf', 1);
  });

  it('qpdf object streams (cross-reference stream), three signatures in a row', async () => {
    const input = world.file('os-in.pdf', await samplePdf({ pages: 2 }));
    const packed = world.file('os.pdf');
    mustRun('qpdf', ['--object-streams=generate', input, packed]);
    let pdf: Uint8Array = readFile(packed);
    expect(Buffer.from(pdf).toString('latin1')).toContain('/ObjStm');
    for (const signer of [world.leader, world.seal, world.otherUnit]) pdf = await signPdf(pdf, signer, { placement: { attachmentCorner: true }, signingTime });
    expectAgreement(world, pdf, 'os-signed.pdf', 3);
  });
});
