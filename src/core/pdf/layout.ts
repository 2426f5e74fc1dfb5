import { type PDFFont, type PDFPage, PDFDocument, grayscale, rgb } from 'pdf-lib';
import { AppError } from '../errors/index.js';
import { type DocFonts, drawableText, embedFonts } from './fonts.js';

/** Reports on A4: registers (sổ đăng ký văn bản), lists, cover and index pages. */

export type Align = 'left' | 'center' | 'right';

export type TableColumn = { header: string; /** relative */ width: number; align?: Align };

export type TableSpec = {
  title: string;
  subtitle?: string;
  columns: TableColumn[];
  rows: string[][];
  landscape?: boolean;
  /** Printed at the bottom left of every page, next to "Trang x/y". */
  footer?: string;
  fontSize?: number;
};

export type TextLine = { text: string; bold?: boolean; size?: number; align?: Align };

export type TextPageSpec = { lines: TextLine[]; landscape?: boolean; title?: string };

const A4: [number, number] = [595.28, 841.89];
const MM = 72 / 25.4;
const MARGIN = { top: 15 * MM, bottom: 15 * MM, left: 20 * MM, right: 15 * MM };
const FOOTER_SIZE = 9;
const PAD = 3;
const BLACK = rgb(0, 0, 0);
const HEADER_FILL = grayscale(0.9);

/** Measures words with a cache: register books repeat the same words thousands of times. */
function measurer(font: PDFFont, size: number) {
  const cache = new Map<string, number>();
  return (s: string) => {
    let w = cache.get(s);
    if (w === undefined) {
      w = font.widthOfTextAtSize(s, size);
      if (cache.size < 50_000) cache.set(s, w);
    }
    return w;
  };
}

/**
 * Greedy word wrap; a word wider than the line is cut between characters. Always ≥ 1 line.
 * `width` measures one word (or one character, or a space); line widths are sums, so each distinct
 * word is measured once.
 */
export function wrapText(text: string, width: (s: string) => number, maxWidth: number): string[] {
  const lines: string[] = [];
  const space = width(' ');
  for (const paragraph of text.split(/\r?\n/)) {
    let line = '';
    let lineWidth = 0;
    for (const word of paragraph.split(/ +/).filter(Boolean)) {
      const w = width(word);
      if (line && lineWidth + space + w <= maxWidth) {
        line += ` ${word}`;
        lineWidth += space + w;
        continue;
      }
      if (line) lines.push(line);
      if (w <= maxWidth) {
        line = word;
        lineWidth = w;
        continue;
      }
      line = '';
      lineWidth = 0;
      for (const ch of word) {
        const cw = width(ch);
        if (line && lineWidth + cw > maxWidth) {
          lines.push(line);
          line = '';
          lineWidth = 0;
        }
        line += ch;
        lineWidth += cw;
      }
    }
    lines.push(line);
  }
  return lines;
}

function pageSize(landscape?: boolean): [number, number] {
  return landscape ? [A4[1], A4[0]] : [A4[0], A4[1]];
}

function drawAligned(page: PDFPage, text: string, font: PDFFont, size: number, x: number, width: number, y: number, align: Align = 'left') {
  if (!text) return;
  const w = font.widthOfTextAtSize(text, size);
  const dx = align === 'center' ? (width - w) / 2 : align === 'right' ? width - w : 0;
  page.drawText(text, { x: x + dx, y, size, font, color: BLACK });
}

/** Centred lines (title block); returns the y below them. */
function drawBlock(page: PDFPage, text: string, font: PDFFont, size: number, y: number, left: number, width: number): number {
  const lh = size * 1.3;
  for (const line of wrapText(text, measurer(font, size), width)) {
    y -= lh;
    drawAligned(page, line, font, size, left, width, y + size * 0.25, 'center');
  }
  return y;
}

function drawPageNumbers(doc: PDFDocument, fonts: DocFonts, footer?: string) {
  const pages = doc.getPages();
  const footerText = footer ? drawableText(footer) : '';
  pages.forEach((page, i) => {
    const { width } = page.getSize();
    const y = MARGIN.bottom - FOOTER_SIZE - 2;
    const label = `Trang ${i + 1}/${pages.length}`;
    drawAligned(page, label, fonts.regular, FOOTER_SIZE, MARGIN.left, width - MARGIN.left - MARGIN.right, y, 'right');
    if (footerText) drawAligned(page, footerText, fonts.regular, FOOTER_SIZE, MARGIN.left, width - MARGIN.left - MARGIN.right - 80, y, 'left');
  });
}

type Cells = { lines: string[][]; count: number };

/**
 * An A4 table report: title centred in bold on the first page, a bordered table whose header row
 * repeats on every page, cell text wrapped (a row taller than a page continues on the next one),
 * "Trang x/y" on every page.
 */
export async function renderTablePdf(spec: TableSpec): Promise<Buffer> {
  if (spec.columns.length === 0) throw new AppError(400, 'bad-request', 'Yêu cầu không hợp lệ', 'Bảng cần ít nhất một cột.');
  const doc = await PDFDocument.create();
  doc.setTitle(drawableText(spec.title));
  doc.setCreator('LienThong');
  const fonts = await embedFonts(doc);
  const size = spec.fontSize ?? 10;
  const lh = size * 1.25;
  const [pw, ph] = pageSize(spec.landscape);
  const contentWidth = pw - MARGIN.left - MARGIN.right;
  const bottom = MARGIN.bottom + 8;
  const total = spec.columns.reduce((s, c) => s + Math.max(c.width, 0.0001), 0);
  const widths = spec.columns.map((c) => (Math.max(c.width, 0.0001) / total) * contentWidth);
  const xs = widths.map((_, i) => MARGIN.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
  const measureRegular = measurer(fonts.regular, size);
  const measureBold = measurer(fonts.bold, size);

  const layoutRow = (cells: string[], bold: boolean): Cells => {
    const lines = spec.columns.map((_, i) =>
      wrapText(drawableText(cells[i] ?? '', bold ? 'bold' : 'regular'), bold ? measureBold : measureRegular, widths[i] - 2 * PAD),
    );
    return { lines, count: Math.max(...lines.map((l) => l.length)) };
  };
  const header = layoutRow(spec.columns.map((c) => c.header), true);

  const drawRowPart = (page: PDFPage, row: Cells, from: number, n: number, top: number, bold: boolean, fill?: ReturnType<typeof grayscale>) => {
    const h = n * lh + 2 * PAD;
    spec.columns.forEach((col, i) => {
      page.drawRectangle({ x: xs[i], y: top - h, width: widths[i], height: h, borderColor: BLACK, borderWidth: 0.5, color: fill });
      row.lines[i].slice(from, from + n).forEach((line, k) => {
        const baseline = top - PAD - (k + 1) * lh + size * 0.3;
        drawAligned(page, line, bold ? fonts.bold : fonts.regular, size, xs[i] + PAD, widths[i] - 2 * PAD, baseline, bold ? 'center' : col.align);
      });
    });
    return top - h;
  };

  let page!: PDFPage;
  let y = 0;
  let rowsOnPage = 0;
  const newPage = () => {
    page = doc.addPage([pw, ph]);
    y = ph - MARGIN.top;
    if (doc.getPageCount() === 1) {
      y = drawBlock(page, drawableText(spec.title, 'bold'), fonts.bold, 14, y, MARGIN.left, contentWidth);
      if (spec.subtitle) y = drawBlock(page, drawableText(spec.subtitle), fonts.regular, 12, y, MARGIN.left, contentWidth);
      y -= 10;
    }
    // The header row is never split; a header taller than the page is drawn clipped by the margin.
    y = drawRowPart(page, header, 0, header.count, y, true, HEADER_FILL);
    rowsOnPage = 0;
  };
  newPage();
  const freshPageLines = Math.floor((ph - MARGIN.top - header.count * lh - 2 * PAD - bottom - 2 * PAD) / lh);

  if (spec.rows.length === 0) {
    const h = lh + 2 * PAD;
    page.drawRectangle({ x: MARGIN.left, y: y - h, width: contentWidth, height: h, borderColor: BLACK, borderWidth: 0.5 });
    drawAligned(page, 'Không có dữ liệu', fonts.regular, size, MARGIN.left, contentWidth, y - PAD - lh + size * 0.3, 'center');
  }
  for (const cells of spec.rows) {
    const row = layoutRow(cells, false);
    let from = 0;
    while (from < row.count) {
      const fits = Math.floor((y - bottom - 2 * PAD) / lh);
      const left = row.count - from;
      if (left <= fits) {
        y = drawRowPart(page, row, from, left, y, false);
        rowsOnPage++;
        break;
      }
      // Move the row to a fresh page if it fits there whole (or nothing fits here); else split it.
      if (rowsOnPage > 0 && (left <= freshPageLines || fits < 1)) {
        newPage();
        continue;
      }
      const n = Math.max(1, fits);
      y = drawRowPart(page, row, from, n, y, false);
      from += n;
      newPage();
    }
  }
  drawPageNumbers(doc, fonts, spec.footer);
  return Buffer.from(await doc.save());
}

/** A simple flowing page (cover, index): each line wrapped and aligned; continues on new pages. */
export async function renderTextPagePdf(spec: TextPageSpec): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setCreator('LienThong');
  if (spec.title) doc.setTitle(drawableText(spec.title));
  const fonts = await embedFonts(doc);
  const [pw, ph] = pageSize(spec.landscape);
  const contentWidth = pw - MARGIN.left - MARGIN.right;
  let page = doc.addPage([pw, ph]);
  let y = ph - MARGIN.top;
  for (const line of spec.lines) {
    const size = line.size ?? 13;
    const font = line.bold ? fonts.bold : fonts.regular;
    const lh = size * 1.35;
    for (const part of wrapText(drawableText(line.text, line.bold ? 'bold' : 'regular'), measurer(font, size), contentWidth)) {
      if (y - lh < MARGIN.bottom) {
        page = doc.addPage([pw, ph]);
        y = ph - MARGIN.top;
      }
      y -= lh;
      drawAligned(page, part, font, size, MARGIN.left, contentWidth, y + size * 0.3, line.align);
    }
  }
  return Buffer.from(await doc.save());
}
