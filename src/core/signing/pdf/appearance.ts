import { PDFName, type PDFRef } from 'pdf-lib';
import { drawableText, wrapText } from '../../pdf/index.js';
import { type Appearance } from '../types.js';
import { type TinosSubset, tinosFor } from './font.js';
import { type EmbeddedImage, embedImage } from './images.js';
import { type IncrementalPdf } from './incremental.js';

/**
 * The visible signature (Decree 30/2020, Appendix I): the leader's handwritten signature image
 * centred in the box, the agency seal at real size overlapping the left third of it, text lines in
 * Tinos (Times New Roman metrics, Vietnamese glyphs) 10 pt. Drawn into one Form XObject, the
 * widget's normal appearance; the widget's rectangle grows to hold the seal when it overhangs.
 */
export type Box = { x: number; y: number; width: number; height: number };

export const FONT_SIZE = 10;
const LEADING = 12;
const PAD = 2;
const MM = 72 / 25.4;
export const DEFAULT_SEAL_MM = 36;

const n = (v: number) => (Math.round(v * 1000) / 1000).toString();

/** `BT … ET` for lines at (x, top baseline y), in black. */
export function textOps(font: TinosSubset, fontName: string, lines: string[], x: number, yTop: number, align: 'left' | 'right' = 'left', right = 0): string {
  let s = `BT 0 g /${fontName} ${FONT_SIZE} Tf\n`;
  lines.forEach((line, i) => {
    const text = drawableText(line);
    const lx = align === 'right' ? right - font.widthOfTextAtSize(text, FONT_SIZE) : x;
    s += `1 0 0 1 ${n(lx)} ${n(yTop - i * LEADING)} Tm ${font.encodeText(text).toString()} Tj\n`;
  });
  return `${s}ET\n`;
}

export type BuiltAppearance = { stream: PDFRef; rect: [number, number, number, number] };

/**
 * Builds the appearance for a signature box (page coordinates). The rectangle grows to hold a seal
 * that overhangs the box — unless `fixed` (a field prepared earlier, whose /Rect must not change
 * after a certification): then everything is drawn inside the box, a seal alone centred in it.
 */
export async function buildAppearance(update: IncrementalPdf, box: Box, appearance: Appearance, fixed = false): Promise<BuiltAppearance> {
  const lines = (appearance.lines ?? []).filter((l) => l.trim() !== '');
  const font = lines.length > 0 ? tinosFor(update) : null;
  const wrapped = font ? lines.flatMap((l) => wrapText(drawableText(l), (s) => font.widthOfTextAtSize(s, FONT_SIZE), box.width - 2 * PAD)) : [];
  const textHeight = wrapped.length > 0 ? wrapped.length * LEADING + PAD : 0;

  // Image area: the box above the text block.
  const area: Box = { x: box.x, y: box.y + textHeight, width: box.width, height: Math.max(0, box.height - textHeight) };
  const draws: { image: EmbeddedImage; name: string; x: number; y: number; w: number; h: number }[] = [];
  let sigLeft = area.x;
  let sigWidth = area.width;
  if (appearance.signatureImage) {
    const image = await embedImage(update, appearance.signatureImage, 'Ảnh chữ ký');
    const scale = Math.min(area.width / image.width, area.height / image.height);
    const w = image.width * scale;
    const h = image.height * scale;
    sigLeft = area.x + (area.width - w) / 2;
    sigWidth = w;
    draws.push({ image, name: 'Sig', x: sigLeft, y: area.y + (area.height - h) / 2, w, h });
  }
  if (appearance.sealImage) {
    const image = await embedImage(update, appearance.sealImage, 'Ảnh con dấu');
    const d = (appearance.sealDiameterMm ?? DEFAULT_SEAL_MM) * MM;
    const fit = fixed ? Math.min(1, area.width / d, area.height / d) : 1;
    const scale = (d * fit) / Math.max(image.width, image.height);
    const w = image.width * scale;
    const h = image.height * scale;
    // The seal's right edge covers the left third of the signature (Decree 30, Appendix I).
    let x = appearance.signatureImage || !fixed ? sigLeft + sigWidth / 3 - w : area.x + (area.width - w) / 2;
    if (fixed) x = Math.max(area.x, x);
    draws.push({ image, name: 'Seal', x, y: area.y + area.height / 2 - h / 2, w, h });
  }

  const overhang = fixed ? [] : draws;
  const x0 = Math.min(box.x, ...overhang.map((d) => d.x));
  const y0 = Math.min(box.y, ...overhang.map((d) => d.y));
  const x1 = Math.max(box.x + box.width, ...overhang.map((d) => d.x + d.w));
  const y1 = Math.max(box.y + box.height, ...overhang.map((d) => d.y + d.h));
  let ops = '';
  for (const d of draws) ops += `q ${n(d.w)} 0 0 ${n(d.h)} ${n(d.x - x0)} ${n(d.y - y0)} cm /${d.name} Do Q\n`;
  if (font && wrapped.length > 0) {
    const top = box.y - y0 + textHeight - LEADING + 2;
    ops += textOps(font, 'F1', wrapped, box.x - x0 + PAD, top);
  }
  const resources = update.context.obj({});
  if (font) resources.set(PDFName.of('Font'), update.context.obj({ F1: font.ref }));
  if (draws.length > 0) resources.set(PDFName.of('XObject'), update.context.obj(Object.fromEntries(draws.map((d) => [d.name, d.image.ref]))));
  const stream = update.context.stream(ops, {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, x1 - x0, y1 - y0].map((v) => Number(n(v))),
    Resources: resources,
  });
  return { stream: update.register(stream), rect: [x0, y0, x1, y1] };
}

/**
 * Where the agency seal goes for a leader's signature box (Decree 30, Appendix I): a square of the
 * seal's real size whose right edge covers the left third of the box, vertically centred — the
 * rectangle of a seal signature field prepared before the leader signs.
 */
export function sealBoxFor(leaderBox: Box, sealDiameterMm = DEFAULT_SEAL_MM): Box {
  const d = sealDiameterMm * MM;
  return { x: leaderBox.x + leaderBox.width / 3 - d, y: leaderBox.y + leaderBox.height / 2 - d / 2, width: d, height: d };
}

/** Appearance of the attachment-corner variant: lines only, right-aligned in a box sized to them. */
export async function buildCornerAppearance(
  update: IncrementalPdf,
  page: { right: number; top: number },
  lines: string[],
): Promise<BuiltAppearance> {
  const font = tinosFor(update);
  const texts = lines.map((l) => drawableText(l)).filter((l) => l.trim() !== '');
  const width = Math.max(...texts.map((t) => font.widthOfTextAtSize(t, FONT_SIZE))) + 2 * PAD;
  const height = texts.length * LEADING + 2 * PAD;
  const margin = 10 * MM;
  const x0 = page.right - margin - width;
  const y0 = page.top - margin - height;
  const ops = textOps(font, 'F1', texts, PAD, height - PAD - FONT_SIZE + 1, 'right', width - PAD);
  const stream = update.context.stream(ops, {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, Number(n(width)), Number(n(height))],
    Resources: update.context.obj({ Font: update.context.obj({ F1: font.ref }) }),
  });
  return { stream: update.register(stream), rect: [x0, y0, x0 + width, y0 + height] };
}

/** An empty appearance (invisible signatures and fields waiting to be signed). */
export function emptyAppearance(update: IncrementalPdf, width = 0, height = 0): PDFRef {
  return update.register(update.context.stream('', { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, width, height] }));
}

/** ISO 8601 with +07:00 (Asia/Ho_Chi_Minh has no daylight saving), seconds precision. */
export function isoVietnam(date: Date): string {
  const local = new Date(date.getTime() + 7 * 3_600_000);
  return `${local.toISOString().slice(0, 19)}+07:00`;
}

/** PDF date string in Vietnam time: D:YYYYMMDDHHmmSS+07'00'. */
export function pdfDateVietnam(date: Date): string {
  const iso = isoVietnam(date);
  return `D:${iso.slice(0, 19).replace(/[-T:]/g, '')}+07'00'`;
}
