import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { create, type Font } from 'fontkit';
import { PDFArray, PDFDict, PDFDocument, PDFName, type PDFRawStream, type PDFRef, decodePDFRawStream } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors/index.js';
import { fontBytes } from './fonts.js';
import { minimalDocx, PHOTO_JPEG, PHOTO_PNG, withExifOrientation } from './fixtures.js';
import {
  docxToPdf,
  drawableText,
  imagesToPdf,
  isPdf,
  jpegOrientation,
  libreOfficeAvailable,
  loadPdf,
  mergePdfs,
  missingGlyphs,
  pageCount,
  renderTablePdf,
  renderTextPagePdf,
  wrapText,
} from './index.js';

// Every Vietnamese letter, upper and lower case, with every tone, plus the đồng sign and typography.
const VOWELS = 'aăâeêioôơuưy';
const TONES = ['\u0300', '\u0301', '\u0309', '\u0303', '\u0323'];
const LETTERS = [...VOWELS, ...VOWELS.toUpperCase()].flatMap((v) => [v, ...TONES.map((t) => (v + t).normalize('NFC'))]).join('') + 'đĐ';
const SAMPLE = `CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — Độc lập - Tự do - Hạnh phúc. Ủy ban nhân dân tỉnh Thừa Thiên Huế “Quyết định” số 12/QĐ-UBND; 1.500.000₫ … ${LETTERS}`;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lienthong-pdf-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const streamBytes = (doc: PDFDocument, ref: unknown) => decodePDFRawStream(doc.context.lookup(ref as PDFRef) as PDFRawStream).decode();

/** Per embedded font: the font program and the glyph id → text map of its ToUnicode CMap. */
function embeddedFonts(doc: PDFDocument): { name: string; program: Font; toUnicode: Map<number, string> }[] {
  const out: { name: string; program: Font; toUnicode: Map<number, string> }[] = [];
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict) || obj.get(PDFName.of('Subtype'))?.toString() !== '/Type0') continue;
    const cid = doc.context.lookup(doc.context.lookup(obj.get(PDFName.of('DescendantFonts')), PDFArray).get(0), PDFDict);
    const descriptor = doc.context.lookup(cid.get(PDFName.of('FontDescriptor')), PDFDict);
    const program = create(Buffer.from(streamBytes(doc, descriptor.get(PDFName.of('FontFile2'))))) as Font;
    const cmap = Buffer.from(streamBytes(doc, obj.get(PDFName.of('ToUnicode')))).toString('latin1');
    const toUnicode = new Map<number, string>();
    for (const [, gid, hex] of cmap.matchAll(/<([0-9a-f]{4})> <([0-9a-f]+)>/gi)) {
      toUnicode.set(parseInt(gid, 16), Buffer.from(hex, 'hex').swap16().toString('utf16le'));
    }
    out.push({ name: obj.get(PDFName.of('BaseFont'))!.toString(), program, toUnicode });
  }
  return out;
}

const expectAppError = async (p: Promise<unknown>, status: number, text: string | RegExp) => {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).status).toBe(status);
  expect(`${(err as AppError).title} ${(err as AppError).detail}`).toMatch(text);
};

describe('font (Tinos, Times New Roman metrics)', () => {
  it('has a glyph for every character of a long Vietnamese sample, in regular and bold, NFC or NFD', () => {
    expect([...LETTERS].length).toBe(12 * 2 * 6 + 2);
    expect(missingGlyphs(SAMPLE, 'regular')).toEqual([]);
    expect(missingGlyphs(SAMPLE, 'bold')).toEqual([]);
    expect(missingGlyphs(SAMPLE.normalize('NFD'), 'bold')).toEqual([]);
    expect(missingGlyphs('Xin chào 😀 中')).toEqual(['😀', '中']);
  });

  it('prepares text to draw: NFC, tabs as spaces, unknown characters as "?"', () => {
    expect(drawableText('Hà Nội\tNghệ An'.normalize('NFD'))).toBe('Hà Nội Nghệ An');
    expect(drawableText('Hà Nội\tNghệ An'.normalize('NFD'))).toBe('Hà Nội Nghệ An'.normalize('NFC'));
    expect(drawableText('a\u200bb 😀\nc')).toBe('ab ?\nc');
  });

  it('embeds a small subset whose glyphs are exactly the font’s and whose text maps back to Unicode', async () => {
    const pdf = await renderTextPagePdf({
      lines: [
        { text: SAMPLE, bold: true, align: 'center' },
        { text: SAMPLE.normalize('NFD') },
      ],
    });
    expect(pdf.length).toBeLessThan(60_000); // the whole regular + bold TTFs are ~1.1 MB
    const doc = await PDFDocument.load(pdf);
    const fonts = embeddedFonts(doc);
    expect(fonts).toHaveLength(2);
    const originals = [create(fontBytes('regular')) as Font, create(fontBytes('bold')) as Font];
    const drawn = new Set<string>();
    expect(fonts.map((f) => f.name.replace(/-\d+$/, '')).sort()).toEqual(['/Tinos-Bold', '/Tinos-Regular']);
    for (const { name, program, toUnicode } of fonts) {
      const original = originals[name.includes('Bold') ? 1 : 0];
      expect(toUnicode.size).toBeGreaterThan(80);
      for (const [gid, text] of toUnicode) {
        drawn.add(text);
        // The subset's outline for this id is the original font's outline for the character.
        expect(program.getGlyph(gid).path.toSVG(), `glyph for "${text}"`).toBe(original.glyphForCodePoint(text.codePointAt(0)!).path.toSVG());
      }
    }
    for (const ch of new Set(SAMPLE.replace(/ /g, ''))) expect(drawn.has(ch), `"${ch}" drawn`).toBe(true);
  });
});

describe('renderTablePdf', () => {
  const columns = [
    { header: 'Số, ký hiệu', width: 1.2 },
    { header: 'Ngày đến', width: 1, align: 'center' as const },
    { header: 'Số đến', width: 0.7, align: 'right' as const },
    { header: 'Tác giả', width: 1.5 },
    { header: 'Trích yếu nội dung', width: 3.5 },
    { header: 'Người nhận', width: 1.2 },
    { header: 'Đơn vị xử lý', width: 1.3 },
    { header: 'Hạn xử lý', width: 1 },
    { header: 'Ký nhận', width: 0.8 },
    { header: 'Ghi chú', width: 1 },
  ];

  it('prints a 300-row register book in landscape over several pages that load back', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => [
      `${i + 1}/UBND-VP`,
      '15/03/2025',
      String(i + 1),
      'Ủy ban nhân dân huyện Đông Hưng',
      i % 7 === 0 ? 'Về việc triển khai Nghị định số 30/2020/NĐ-CP về công tác văn thư; đề nghị các xã rà soát danh mục hồ sơ và báo cáo trước ngày 30/4/2025' : 'Về việc họp giao ban quý I',
      'Nguyễn Thị Hương',
      'Phòng Tư pháp',
      '20/03/2025',
      '',
      i % 11 === 0 ? 'Khẩn' : '',
    ]);
    const pdf = await renderTablePdf({ title: 'SỔ ĐĂNG KÝ VĂN BẢN ĐẾN', subtitle: 'Năm 2025', columns, rows, landscape: true, footer: 'UBND xã Đông Hòa' });
    const pages = await pageCount(pdf);
    expect(pages).toBeGreaterThan(1);
    const doc = await loadPdf(pdf);
    for (const page of doc.getPages()) {
      const { width, height } = page.getSize();
      expect(Math.round(width)).toBe(842);
      expect(Math.round(height)).toBe(595);
    }
    expect(pdf.length / pages).toBeLessThan(20_000); // subset fonts: a page costs a few KB
  });

  it('continues a row taller than a page on the next page instead of losing text', async () => {
    const long = 'Nội dung rất dài. '.repeat(1500);
    const pdf = await renderTablePdf({ title: 'Danh sách', columns: [{ header: 'Số', width: 1 }, { header: 'Nội dung', width: 6 }], rows: [['1', long], ['2', 'ngắn']] });
    expect(await pageCount(pdf)).toBeGreaterThan(2);
  });

  it('prints an empty table on one page, in portrait by default', async () => {
    const pdf = await renderTablePdf({ title: 'Sổ trống', columns, rows: [] });
    const doc = await loadPdf(pdf);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getPage(0).getSize().height).toBeGreaterThan(doc.getPage(0).getSize().width);
  });

  it('wraps words to the width, cuts words longer than a line and keeps line breaks', () => {
    const width = (s: string) => s.length; // one unit per character
    expect(wrapText('một hai ba bốn', width, 7)).toEqual(['một hai', 'ba bốn']);
    expect(wrapText('abcdefghij', width, 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapText('dòng 1\ndòng 2', width, 20)).toEqual(['dòng 1', 'dòng 2']);
    expect(wrapText('', width, 20)).toEqual(['']);
  });
});

describe('renderTextPagePdf', () => {
  it('flows lines over as many pages as needed', async () => {
    const lines = Array.from({ length: 120 }, (_, i) => ({ text: `${i + 1}. Quyết định số ${i + 1}/QĐ-UBND về việc phê duyệt kế hoạch`, size: 13 }));
    const pdf = await renderTextPagePdf({ lines: [{ text: 'MỤC LỤC HỒ SƠ', bold: true, size: 16, align: 'center' }, ...lines] });
    expect(await pageCount(pdf)).toBeGreaterThan(1);
  });
});

describe('imagesToPdf', () => {
  it('puts one photo per A4 page, scaled to fit, landscape photos on landscape pages', async () => {
    const pdf = await imagesToPdf([PHOTO_JPEG, PHOTO_PNG]);
    const doc = await loadPdf(pdf);
    expect(doc.getPageCount()).toBe(2);
    for (const page of doc.getPages()) expect(page.getWidth()).toBeGreaterThan(page.getHeight());
  });

  it('reads the EXIF orientation a phone writes and turns the page with it', async () => {
    expect(jpegOrientation(PHOTO_JPEG)).toBe(1);
    for (const o of [1, 2, 3, 4, 5, 6, 7, 8]) {
      expect(jpegOrientation(withExifOrientation(PHOTO_JPEG, o))).toBe(o);
      expect(jpegOrientation(withExifOrientation(PHOTO_JPEG, o, true))).toBe(o);
    }
    const doc = await loadPdf(await imagesToPdf([withExifOrientation(PHOTO_JPEG, 6), withExifOrientation(PHOTO_JPEG, 3)]));
    const [rotated, upsideDown] = doc.getPages();
    expect(rotated.getHeight()).toBeGreaterThan(rotated.getWidth()); // 40×20 turned a quarter: portrait
    expect(upsideDown.getWidth()).toBeGreaterThan(upsideDown.getHeight());
    const ops = (page: typeof rotated) => Buffer.from(streamBytes(doc, (page.node.get(PDFName.of('Contents')) as PDFArray).get(0))).toString('latin1');
    // Orientation 6 (rotate 90° clockwise): the image's x axis runs down the page.
    expect(ops(rotated)).toMatch(/^q\n0 -\d+(\.\d+)? \d+(\.\d+)? 0 [\d.]+ [\d.]+ cm\n/);
    expect(ops(upsideDown)).toMatch(/^q\n-\d+(\.\d+)? 0 0 -\d+(\.\d+)? [\d.]+ [\d.]+ cm\n/);
  });

  it('refuses other formats (415) and broken images (422) in Vietnamese', async () => {
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
    await expectAppError(imagesToPdf([PHOTO_JPEG, gif]), 415, /Ảnh thứ 2 không phải JPEG hoặc PNG/);
    await expectAppError(imagesToPdf([Buffer.concat([PHOTO_PNG.subarray(0, 8), Buffer.alloc(40, 7)])]), 422, /Ảnh bị hỏng/);
    await expectAppError(imagesToPdf([]), 400, /ít nhất một ảnh/);
  });
});

describe('PDF checks and merging', () => {
  const pdfOf = async (n: number) => {
    const doc = await PDFDocument.create();
    for (let i = 0; i < n; i++) doc.addPage();
    return Buffer.from(await doc.save({ useObjectStreams: false }));
  };

  it('merges PDFs in order and counts pages', async () => {
    const merged = await mergePdfs([await pdfOf(2), await imagesToPdf([PHOTO_PNG]), await pdfOf(1)]);
    expect(await pageCount(merged)).toBe(4);
    const doc = await loadPdf(merged);
    expect(doc.getPage(2).getWidth()).toBeGreaterThan(doc.getPage(2).getHeight()); // the photo page
  });

  it('tells a PDF from another format, and refuses broken or encrypted PDFs with 422', async () => {
    expect(await isPdf(await pdfOf(1))).toBe(true);
    expect(await isPdf(PHOTO_PNG)).toBe(false);
    const broken = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog\n', 'latin1');
    await expectAppError(isPdf(broken), 422, /^Tệp PDF bị hỏng hoặc được mã hoá/);
    const good = (await pdfOf(1)).toString('latin1');
    // A trailer that names an encryption dictionary, as password-protected PDFs have.
    const encrypted = Buffer.from(good.replace(/\/Info (\d+ 0 R)/, '/Info $1 /Encrypt $1'), 'latin1');
    expect(encrypted.toString('latin1')).toContain('/Encrypt');
    await expectAppError(isPdf(encrypted), 422, /Tệp PDF bị hỏng hoặc được mã hoá.*mã hoá/);
    await expectAppError(mergePdfs([await pdfOf(1), broken]), 422, /Tệp thứ 2/);
    await expectAppError(pageCount(PHOTO_PNG), 415, /không phải PDF/);
  });
});

describe('docxToPdf', () => {
  const docx = minimalDocx('Kính gửi Ủy ban nhân dân xã Đông Hòa');
  const script = (name: string, body: string) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return file;
  };

  it('says in Vietnamese that LibreOffice is missing (LIBREOFFICE_PATH points at nothing)', async () => {
    const env = { ...process.env, LIBREOFFICE_PATH: path.join(tmp, 'no-such-soffice') };
    expect(libreOfficeAvailable(env)).toBe(false);
    await expectAppError(
      docxToPdf(docx, { env }),
      422,
      'Máy chủ chưa cài LibreOffice nên không chuyển được DOCX sang PDF; tệp DOCX vẫn được lưu, vui lòng tải lên bản PDF',
    );
    await expectAppError(docxToPdf(PHOTO_PNG, { env }), 415, /DOCX hoặc DOC/);
  });

  it('runs soffice headless into a private temp dir and returns the PDF it wrote (stand-in binary)', async () => {
    const pdf = await imagesToPdf([PHOTO_PNG]);
    fs.writeFileSync(path.join(tmp, 'fixture.pdf'), pdf);
    const argsFile = path.join(tmp, 'args.txt');
    // Like soffice: writes <outdir>/<input name>.pdf.
    const bin = script(
      'fake-soffice',
      `echo "$@" > '${argsFile}'\nwhile [ $# -gt 1 ]; do [ "$1" = "--outdir" ] && out="$2"; shift; done\nin="$1"; base=$(basename "$in"); cp '${path.join(tmp, 'fixture.pdf')}' "$out/\${base%.*}.pdf"`,
    );
    const env = { ...process.env, LIBREOFFICE_PATH: bin };
    expect(libreOfficeAvailable(env)).toBe(true);
    const out = await docxToPdf(docx, { env });
    expect(Buffer.compare(out, pdf)).toBe(0);
    expect(fs.readFileSync(argsFile, 'utf8')).toMatch(/-env:UserInstallation=file:\/\/.*--headless.*--convert-to pdf --outdir \S+ \S+input\.docx/);
  });

  it('gives up after the timeout, kills the converter and reports it; a failed run is reported too', async () => {
    const pidFile = path.join(tmp, 'pid.txt');
    const slow = script('slow-soffice', `echo $$ > '${pidFile}'\nsleep 30`);
    await expectAppError(docxToPdf(docx, { env: { ...process.env, LIBREOFFICE_PATH: slow }, timeoutMs: 300 }), 422, /không chuyển xong tệp trong 0 giây/);
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow(); // gone
    const failing = script('failing-soffice', 'echo "Error: source file could not be loaded" >&2\nexit 1');
    await expectAppError(docxToPdf(docx, { env: { ...process.env, LIBREOFFICE_PATH: failing } }), 422, /mã thoát 1: Error: source file could not be loaded/);
  });

  it.skipIf(!libreOfficeAvailable())('converts a real DOCX with the installed LibreOffice (skipped when soffice is not installed)', async () => {
    const pdf = await docxToPdf(docx, { timeoutMs: 120_000 });
    expect(await isPdf(pdf)).toBe(true);
    expect(await pageCount(pdf)).toBe(1);
  }, 180_000);
});
