import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { PDFDocument, rgb } from 'pdf-lib';
import { embedFonts } from '../../pdf/index.js';

/**
 * PDFs to sign in tests and benchmarks: an official letter (Decree 30 layout, with the signature
 * placeholder text) and, for size, pages carrying a scanned-looking image each (~50 KB of noise,
 * which does not compress, like a real scan).
 */
export type SamplePdfOptions = {
  pages?: number;
  /** Bytes of image data per page (0: text only). */
  imageBytesPerPage?: number;
  /** Write a cross-reference stream and object streams (PDF 1.5) instead of a classic table. */
  xrefStream?: boolean;
  /** Text drawn where the leader signs (found by placement: { placeholder }). */
  placeholder?: string;
};

export const SIGNATURE_PLACEHOLDER = '[[CHU_KY_LANH_DAO]]';

export async function samplePdf(options: SamplePdfOptions = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setCreator('LienThong tests');
  doc.setTitle('Quyết định về việc phê duyệt kế hoạch');
  const fonts = await embedFonts(doc);
  const pages = options.pages ?? 1;
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText('ỦY BAN NHÂN DÂN', { x: 60, y: 790, size: 12, font: fonts.bold });
    page.drawText('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { x: 290, y: 790, size: 12, font: fonts.bold });
    page.drawText('Độc lập - Tự do - Hạnh phúc', { x: 340, y: 774, size: 12, font: fonts.bold });
    page.drawText('Số:        /QĐ-UBND', { x: 60, y: 740, size: 13, font: fonts.regular });
    page.drawText('Phú Lộc, ngày      tháng      năm 2026', { x: 300, y: 740, size: 13, font: fonts.regular });
    page.drawText(`QUYẾT ĐỊNH — trang ${i + 1}/${pages}`, { x: 200, y: 700, size: 14, font: fonts.bold });
    for (let l = 0; l < 20; l++) {
      page.drawText(`Điều ${l + 1}. Nội dung quy định số ${l + 1} của văn bản, áp dụng từ ngày ký.`, { x: 60, y: 660 - l * 18, size: 13, font: fonts.regular });
    }
    if (options.imageBytesPerPage) {
      const side = Math.max(8, Math.floor(Math.sqrt(options.imageBytesPerPage / 3)));
      const data = zlib.deflateSync(randomBytes(side * side * 3), { level: 1 });
      // Already deflated (noise does not compress): stored as is, like a scan's JPEG.
      const image = doc.context.stream(data, { Type: 'XObject', Subtype: 'Image', Width: side, Height: side, ColorSpace: 'DeviceRGB', BitsPerComponent: 8, Filter: 'FlateDecode' });
      const name = page.node.newXObject('Scan', doc.context.register(image));
      page.node.addContentStream(doc.context.register(doc.context.stream(`q 120 0 0 120 400 60 cm ${name.asString()} Do Q`)));
    }
    if (i === pages - 1) {
      page.drawText('CHỦ TỊCH', { x: 380, y: 230, size: 13, font: fonts.bold });
      if (options.placeholder) page.drawText(options.placeholder, { x: 370, y: 170, size: 9, font: fonts.regular, color: rgb(1, 1, 1) });
      page.drawText('Nguyễn Thị Hồng Nhung', { x: 360, y: 110, size: 13, font: fonts.bold });
    }
  }
  const bytes = await doc.save({ useObjectStreams: options.xrefStream ?? false });
  return bytes;
}

/** Number of pages of a PDF as pdf-lib sees it (tests). */
export async function pdfPageCount(pdf: Uint8Array): Promise<number> {
  return (await PDFDocument.load(pdf, { updateMetadata: false })).getPageCount();
}
