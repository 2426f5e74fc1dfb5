import fs from 'node:fs';
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, type PDFRawStream } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppError } from '../errors/index.js';
import { isoVietnam, signPdf } from './index.js';
import { sealPng, signaturePng } from './testing/images.js';
import { samplePdf, SIGNATURE_PLACEHOLDER } from './testing/pdfs.js';
import { type SigningWorld, signingWorld } from './testing/setup.js';
import { missingToolsReason, mustRun, run } from './testing/tools.js';

/**
 * The visible signature of Decree 30 (Appendix I): signature image centred in the box, the seal at
 * real size over the left third of it, Tinos 10 pt lines; the attachment-corner variant; placement
 * by a placeholder text. Checked in the PDF objects and on the page rendered by poppler.
 */
const skipReason = missingToolsReason(['pdfsig', 'openssl']);
const signingTime = new Date('2026-03-12T02:30:00Z');
const PT_PER_MM = 72 / 25.4;

let world: SigningWorld;
beforeAll(async () => {
  world = await signingWorld();
}, 60_000);
afterAll(() => world?.cleanup());

/** The signature widgets of the last page carrying one: Rect and the decoded normal appearance. */
async function widgets(pdf: Uint8Array) {
  const doc = await PDFDocument.load(pdf);
  return doc.getPages().flatMap((page, index) => {
    const annots = page.node.lookup(PDFName.of('Annots'));
    if (!(annots instanceof PDFArray)) return [];
    return annots.asArray().flatMap((ref) => {
      const w = doc.context.lookup(ref) as PDFDict;
      if (w.get(PDFName.of('FT'))?.toString() !== '/Sig') return [];
      const ap = (w.lookup(PDFName.of('AP')) as PDFDict).lookup(PDFName.of('N')) as PDFRawStream;
      const rect = (w.lookup(PDFName.of('Rect')) as PDFArray).asRectangle();
      return [{ page: index + 1, rect, ops: Buffer.from(decodePDFRawStream(ap).decode()).toString('latin1'), size: page.getSize() }];
    });
  });
}

/** The page rendered at 72 dpi by poppler (1 pixel = 1 point): RGB of a point in PDF coordinates. */
function renderer(pdf: Uint8Array, name: string) {
  const file = world.file(name, pdf);
  mustRun('pdftoppm', ['-r', '72', '-f', '1', '-l', '1', '-singlefile', file, world.file(name.replace('.pdf', ''))]);
  const ppm = fs.readFileSync(world.file(name.replace('.pdf', '.ppm')));
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'))!;
  const [width, height, offset] = [Number(header[1]), Number(header[2]), header[0].length];
  return (x: number, y: number) => {
    const px = Math.round(x);
    const py = height - Math.round(y);
    const i = offset + (py * width + px) * 3;
    return { r: ppm[i], g: ppm[i + 1], b: ppm[i + 2], width };
  };
}

describe('visible signature (Decree 30)', () => {
  it('signature image centred, seal at real size over its left third; the widget grows to hold the seal', async () => {
    const box = { page: 1, x: 330, y: 110, width: 180, height: 90 };
    const signed = await signPdf(await samplePdf(), world.leader, { placement: box, appearance: { signatureImage: signaturePng(), sealImage: sealPng() }, signingTime });
    const [w] = await widgets(signed);
    const seal = 36 * PT_PER_MM; // 102.05 pt
    // Signature 300×120 contained in 180×90 → 180×72, centred: left edge at 330; seal's right edge at 330 + 60.
    expect(w.rect.x).toBeCloseTo(330 + 60 - seal, 1);
    expect(w.rect.x + w.rect.width).toBeCloseTo(510, 1);
    expect(w.ops).toMatch(new RegExp(`q ${seal.toFixed(3).replace('.', '\\.')}\\d* 0 0 ${seal.toFixed(3).replace('.', '\\.')}\\d* [\\d.]+ [\\d.]+ cm /Seal Do Q`));
    expect(w.ops).toContain('/Sig Do');
    expect(w.ops.indexOf('/Sig Do')).toBeLessThan(w.ops.indexOf('/Seal Do')); // the seal is stamped over the signature
  });

  it('a seal of another size (sealDiameterMm) is drawn at that size', async () => {
    const signed = await signPdf(await samplePdf(), world.seal, { placement: { page: 1, x: 300, y: 100, width: 150, height: 120 }, appearance: { sealImage: sealPng(), sealDiameterMm: 40 }, signingTime });
    const [w] = await widgets(signed);
    expect(w.ops).toContain(`q ${(40 * PT_PER_MM).toFixed(3)} 0 0 ${(40 * PT_PER_MM).toFixed(3)}`);
  });

  it('placement by a placeholder text: the box is centred on it', async () => {
    const pdf = await samplePdf({ placeholder: SIGNATURE_PLACEHOLDER });
    const signed = await signPdf(pdf, world.leader, { placement: { placeholder: SIGNATURE_PLACEHOLDER, width: 160, height: 80 }, appearance: { signatureImage: signaturePng() }, signingTime });
    const [w] = await widgets(signed);
    // samplePdf draws the placeholder at x=370, y=170 in 9 pt (width ≈ 102 pt).
    expect(w.rect.x + w.rect.width / 2).toBeCloseTo(370 + 51, 0);
    expect(w.rect.y + w.rect.height / 2).toBeGreaterThan(168);
    expect(w.rect.y + w.rect.height / 2).toBeLessThan(178);
    const missing = await signPdf(pdf, world.leader, { placement: { placeholder: 'KHÔNG CÓ' }, signingTime }).catch((e: unknown) => e);
    expect((missing as AppError).code).toBe('signature-placeholder-not-found');
  });

  it('attachment corner: no image, top right of page 1, the lines and the time in ISO 8601 +07:00', async () => {
    const lines = ['Số: 12/QĐ-UBND', 'Ủy ban nhân dân huyện Phú Lộc', isoVietnam(signingTime)];
    expect(lines[2]).toBe('2026-03-12T09:30:00+07:00');
    const signed = await signPdf(await samplePdf({ pages: 2 }), world.seal, { placement: { attachmentCorner: true }, appearance: { lines }, signingTime });
    const [w] = await widgets(signed);
    expect(w.page).toBe(1);
    expect(w.size.width - (w.rect.x + w.rect.width)).toBeCloseTo(10 * PT_PER_MM, 0);
    expect(w.size.height - (w.rect.y + w.rect.height)).toBeCloseTo(10 * PT_PER_MM, 0);
    expect(w.ops).not.toContain(' Do');
    expect(w.ops).toContain('/F1 10 Tf');
    const font = (await PDFDocument.load(signed)).context.enumerateIndirectObjects().find(([, o]) => o instanceof PDFDict && o.get(PDFName.of('Subtype'))?.toString() === '/Type0' && /Tinos/.test(String(o.get(PDFName.of('BaseFont')))));
    expect(font).toBeDefined();
  });

  it('a broken image is refused with a clear problem', async () => {
    const err = await signPdf(await samplePdf(), world.leader, { placement: { page: 1, x: 300, y: 100, width: 150, height: 80 }, appearance: { signatureImage: new Uint8Array([0x89, 0x50, 1, 2]) }, signingTime }).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('signature-image-invalid');
  });
});

describe.skipIf(skipReason)(`as poppler renders it ${skipReason ?? ''}`, () => {
  it('red seal over the left of the blue signature; the corner text is on the page', async () => {
    const box = { page: 1, x: 330, y: 300, width: 180, height: 90 };
    const signed = await signPdf(await samplePdf(), world.leader, { placement: box, appearance: { signatureImage: signaturePng(), sealImage: sealPng(), lines: ['Nguyễn Thị Hồng Nhung'] }, signingTime });
    const [w] = await widgets(signed);
    const pixel = renderer(signed, 'rendered.pdf');
    const seal = 36 * PT_PER_MM;
    const centre = pixel(w.rect.x + seal / 2, w.rect.y + w.rect.height / 2 + 6); // the seal's red centre disc
    expect(centre.r).toBeGreaterThan(180);
    expect(centre.g).toBeLessThan(90);
    // Somewhere down the column at 60 % of the box the blue stroke of the signature image is crossed.
    const column = Array.from({ length: 80 }, (_, i) => pixel(box.x + box.width * 0.6, box.y + 10 + i));
    expect(column.some((p) => p.b > 150 && p.r < 100 && p.g < 120)).toBe(true);
    const text = run('pdftotext', ['-f', '1', '-l', '1', world.file('rendered.pdf'), '-']).stdout.normalize('NFC');
    expect(text).toContain('Nguyễn Thị Hồng Nhung');
    const corner = await signPdf(await samplePdf(), world.seal, { placement: { attachmentCorner: true }, appearance: { lines: ['Bản sao điện tử', isoVietnam(signingTime)] }, signingTime });
    const cornerText = run('pdftotext', ['-f', '1', '-l', '1', world.file('corner.pdf', corner), '-']).stdout.normalize('NFC');
    expect(cornerText).toContain('Bản sao điện tử');
    expect(cornerText).toContain('2026-03-12T09:30:00+07:00');
  });
});
