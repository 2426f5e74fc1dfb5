import { type PDFFont, type PDFImage, type PDFPage, PDFDocument, rgb } from 'pdf-lib';
import QRCode from 'qrcode';
import { type Align, type DocFonts, drawableText, embedFonts, wrapText } from '../../core/pdf/index.js';

/**
 * Layout of the one-stop forms (Circular 03/2025, Appendix I) on A4: the two-column heading of a
 * Vietnamese administrative paper (agency on the left; "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập -
 * Tự do - Hạnh phúc" on the right), the date line, the title, flowing paragraphs and tables, signature
 * blocks, and a QR code to the public lookup of the dossier. Times-metric font with Vietnamese glyphs.
 */

export type FormBlock =
  | { kind: 'text'; text: string; bold?: boolean; size?: number; align?: Align; indent?: number; gapBefore?: number }
  | { kind: 'field'; label: string; value: string }
  | { kind: 'table'; columns: { header: string; width: number; align?: Align }[]; rows: string[][] }
  | { kind: 'signatures'; blocks: { title: string; note?: string; name?: string | null }[] };

export type FormSpec = {
  /** Heading, left column: the parent agency (regular) and the issuing agency (bold), upper-cased. */
  parentAgency: string | null;
  agency: string;
  /** `<Place>, ngày dd tháng MM năm yyyy` */
  dateLine: string;
  /** "Số: …" under the agency, when the form carries one. */
  number?: string | null;
  title: string;
  subtitle?: string | null;
  blocks: FormBlock[];
  /** The public lookup address of the dossier and its code, printed under the QR code. */
  qr: { url: string; code: string | null };
};

const A4: [number, number] = [595.28, 841.89];
const MM = 72 / 25.4;
const MARGIN = { top: 15 * MM, bottom: 15 * MM, left: 25 * MM, right: 15 * MM };
const BLACK = rgb(0, 0, 0);
const SIZE = 12.5;
const QR_SIZE = 76;

type Ctx = { doc: PDFDocument; fonts: DocFonts; page: PDFPage; y: number; width: number };

const fontOf = (c: Ctx, bold?: boolean): PDFFont => (bold ? c.fonts.bold : c.fonts.regular);

function measure(font: PDFFont, size: number) {
  return (s: string) => font.widthOfTextAtSize(s, size);
}

function ensure(c: Ctx, height: number) {
  if (c.y - height >= MARGIN.bottom) return;
  c.page = c.doc.addPage(A4);
  c.y = A4[1] - MARGIN.top;
}

function drawLine(c: Ctx, text: string, font: PDFFont, size: number, x: number, width: number, align: Align = 'left') {
  const w = font.widthOfTextAtSize(text, size);
  const dx = align === 'center' ? (width - w) / 2 : align === 'right' ? width - w : 0;
  c.page.drawText(text, { x: x + Math.max(0, dx), y: c.y, size, font, color: BLACK });
}

/** Wrapped lines of text at (x, width), moving the cursor down; continues on a new page when needed. */
function flow(c: Ctx, text: string, opts: { bold?: boolean; size?: number; align?: Align; x?: number; width?: number; indent?: number } = {}) {
  const size = opts.size ?? SIZE;
  const font = fontOf(c, opts.bold);
  const x = (opts.x ?? MARGIN.left) + (opts.indent ?? 0);
  const width = (opts.width ?? c.width) - (opts.indent ?? 0);
  const lh = size * 1.35;
  for (const line of wrapText(drawableText(text, opts.bold ? 'bold' : 'regular'), measure(font, size), width)) {
    ensure(c, lh);
    c.y -= lh;
    drawLine(c, line, font, size, x, width, opts.align);
  }
}

/** Heading: two columns, each centred in itself, the right one underlined under its motto. */
function heading(c: Ctx, spec: FormSpec) {
  const leftW = c.width * 0.42;
  const rightX = MARGIN.left + leftW;
  const rightW = c.width - leftW;
  const top = c.y;
  if (spec.parentAgency) flow(c, spec.parentAgency.toUpperCase(), { size: 12, align: 'center', width: leftW });
  flow(c, spec.agency.toUpperCase(), { size: 12, bold: true, align: 'center', width: leftW });
  underline(c, MARGIN.left, leftW, 60);
  if (spec.number) flow(c, spec.number, { size: 12, align: 'center', width: leftW });
  const leftBottom = c.y;
  c.y = top;
  flow(c, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { size: 12, bold: true, align: 'center', x: rightX, width: rightW });
  flow(c, 'Độc lập - Tự do - Hạnh phúc', { size: 13, bold: true, align: 'center', x: rightX, width: rightW });
  underline(c, rightX, rightW, c.fonts.bold.widthOfTextAtSize('Độc lập - Tự do - Hạnh phúc', 13));
  c.y -= 4;
  flow(c, spec.dateLine, { size: 12.5, align: 'center', x: rightX, width: rightW });
  c.y = Math.min(c.y, leftBottom) - 14;
}

/** A rule `w` wide under the previous line, centred in the column. */
function underline(c: Ctx, x: number, width: number, w: number) {
  const x0 = x + (width - w) / 2;
  c.y -= 5;
  c.page.drawLine({ start: { x: x0, y: c.y }, end: { x: x0 + w, y: c.y }, thickness: 0.6, color: BLACK });
}

function table(c: Ctx, block: Extract<FormBlock, { kind: 'table' }>) {
  const size = 11;
  const lh = size * 1.3;
  const pad = 3;
  const total = block.columns.reduce((s, col) => s + col.width, 0);
  const widths = block.columns.map((col) => (col.width / total) * c.width);
  const xs = widths.map((_, i) => MARGIN.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
  const layout = (cells: string[], bold: boolean) =>
    block.columns.map((_, i) => wrapText(drawableText(cells[i] ?? '', bold ? 'bold' : 'regular'), measure(fontOf(c, bold), size), widths[i] - 2 * pad));
  const drawRow = (lines: string[][], bold: boolean) => {
    const h = Math.max(...lines.map((l) => l.length)) * lh + 2 * pad;
    ensure(c, h);
    lines.forEach((cell, i) => {
      c.page.drawRectangle({ x: xs[i], y: c.y - h, width: widths[i], height: h, borderColor: BLACK, borderWidth: 0.5 });
      cell.forEach((line, k) => {
        const saved = c.y;
        c.y = saved - pad - (k + 1) * lh + size * 0.3;
        drawLine(c, line, fontOf(c, bold), size, xs[i] + pad, widths[i] - 2 * pad, bold ? 'center' : block.columns[i].align);
        c.y = saved;
      });
    });
    c.y -= h;
  };
  c.y -= 4;
  drawRow(layout(block.columns.map((col) => col.header), true), true);
  if (block.rows.length === 0) drawRow([['(không có)'], ...block.columns.slice(1).map(() => [''])], false);
  for (const r of block.rows) drawRow(layout(r, false), false);
  c.y -= 6;
}

function signatures(c: Ctx, block: Extract<FormBlock, { kind: 'signatures' }>) {
  const n = block.blocks.length;
  const w = c.width / n;
  ensure(c, 110);
  c.y -= 10;
  const top = c.y;
  let lowest = top;
  block.blocks.forEach((b, i) => {
    c.y = top;
    const x = MARGIN.left + i * w;
    flow(c, b.title.toUpperCase(), { bold: true, size: 12, align: 'center', x, width: w });
    flow(c, b.note ?? '(Ký và ghi rõ họ tên)', { size: 11, align: 'center', x, width: w });
    c.y -= 48;
    if (b.name) flow(c, b.name, { bold: true, size: 12, align: 'center', x, width: w });
    lowest = Math.min(lowest, c.y);
  });
  c.y = lowest - 6;
}

async function qrBlock(c: Ctx, qr: FormSpec['qr']) {
  const png = await QRCode.toBuffer(qr.url, { type: 'png', margin: 2, width: 240, errorCorrectionLevel: 'M' });
  const image: PDFImage = await c.doc.embedPng(png);
  ensure(c, QR_SIZE + 12);
  c.y -= QR_SIZE + 8;
  c.page.drawImage(image, { x: MARGIN.left, y: c.y, width: QR_SIZE, height: QR_SIZE });
  const textX = MARGIN.left + QR_SIZE + 10;
  const textW = c.width - QR_SIZE - 10;
  const bottom = c.y;
  c.y += QR_SIZE - 2;
  flow(c, 'Quét mã QR hoặc vào địa chỉ dưới đây để tra cứu tình trạng hồ sơ:', { size: 11, x: textX, width: textW });
  flow(c, qr.url, { size: 11, x: textX, width: textW });
  if (qr.code) flow(c, `Mã hồ sơ: ${qr.code}`, { size: 11, bold: true, x: textX, width: textW });
  c.y = Math.min(c.y, bottom);
}

/** Renders a form to PDF bytes. */
export async function renderFormPdf(spec: FormSpec): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setCreator('LienThong');
  doc.setTitle(drawableText(spec.title));
  if (spec.qr.code) doc.setSubject(spec.qr.code);
  const fonts = await embedFonts(doc);
  const page = doc.addPage(A4);
  const c: Ctx = { doc, fonts, page, y: A4[1] - MARGIN.top, width: A4[0] - MARGIN.left - MARGIN.right };
  heading(c, spec);
  flow(c, spec.title, { bold: true, size: 14, align: 'center' });
  if (spec.subtitle) flow(c, spec.subtitle, { size: 12.5, align: 'center' });
  c.y -= 8;
  for (const block of spec.blocks) {
    switch (block.kind) {
      case 'text':
        if (block.gapBefore) c.y -= block.gapBefore;
        flow(c, block.text, block);
        break;
      case 'field':
        flow(c, `${block.label}: ${block.value}`);
        break;
      case 'table':
        table(c, block);
        break;
      case 'signatures':
        signatures(c, block);
        break;
    }
  }
  await qrBlock(c, spec.qr);
  return Buffer.from(await doc.save());
}
