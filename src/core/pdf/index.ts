import { PDFDocument } from 'pdf-lib';
import { AppError } from '../errors/index.js';
import { imagesToPdf } from './images.js';

/**
 * PDF services: checks on uploaded PDFs, merging, photos → PDF, Word → PDF (LibreOffice, optional)
 * and simple report layouts in a Times-compatible font with Vietnamese glyphs.
 */

export { type DocFonts, drawableText, embedFonts, fontBytes, type FontWeight, missingGlyphs } from './fonts.js';
export { imageKind, imagesToPdf, jpegOrientation } from './images.js';
export { type Align, renderTablePdf, renderTextPagePdf, type TableColumn, type TableSpec, type TextLine, type TextPageSpec, wrapText } from './layout.js';
export { type ConvertOptions, docxToPdf, findLibreOffice, libreOfficeAvailable, libreOfficeMissing } from './office.js';

const BROKEN_TITLE = 'Tệp PDF bị hỏng hoặc được mã hoá';

const pdfInvalid = (detail: string) => new AppError(422, 'pdf-invalid', BROKEN_TITLE, detail);

/** `%PDF-` within the first KiB (the specification tolerates a little junk before it). */
export function hasPdfMagic(buf: Buffer): boolean {
  return buf.subarray(0, 1024).indexOf('%PDF-') !== -1;
}

/**
 * Loads a PDF for reading or copying pages. Encrypted (password-protected) and unreadable files
 * are refused with AppError 422: they could not be merged, stamped or signed later.
 */
export async function loadPdf(buf: Buffer): Promise<PDFDocument> {
  if (!hasPdfMagic(buf)) throw new AppError(415, 'unsupported-media-type', 'Định dạng tệp không được hỗ trợ', 'Tệp không phải PDF.');
  let doc: PDFDocument;
  try {
    // A copy: pdf-lib reads `bytes.buffer` from offset 0, but a Node Buffer is often a slice of a shared pool.
    doc = await PDFDocument.load(new Uint8Array(buf), { updateMetadata: false });
  } catch (err) {
    if ((err as Error).name === 'EncryptedPDFError' || /encrypt/i.test((err as Error).message)) {
      throw pdfInvalid(`${BROKEN_TITLE}: tệp được đặt mật khẩu hoặc mã hoá; vui lòng gỡ mã hoá (in lại ra PDF) rồi tải lên.`);
    }
    throw pdfInvalid(`${BROKEN_TITLE}: không đọc được cấu trúc tệp.`);
  }
  if (doc.isEncrypted) throw pdfInvalid(`${BROKEN_TITLE}: tệp được đặt mật khẩu hoặc mã hoá; vui lòng gỡ mã hoá (in lại ra PDF) rồi tải lên.`);
  let pages: number;
  try {
    pages = doc.getPageCount();
  } catch {
    pages = 0;
  }
  if (pages === 0) throw pdfInvalid(`${BROKEN_TITLE}: tệp không có trang nào đọc được.`);
  return doc;
}

/**
 * False when the bytes are not a PDF at all (another format); true for a readable PDF; AppError 422
 * for something that claims to be a PDF but is broken or encrypted.
 */
export async function isPdf(buf: Buffer): Promise<boolean> {
  if (!hasPdfMagic(buf)) return false;
  await loadPdf(buf);
  return true;
}

export async function pageCount(pdf: Buffer): Promise<number> {
  return (await loadPdf(pdf)).getPageCount();
}

/** One PDF with the pages of all the inputs, in order. */
export async function mergePdfs(pdfs: Buffer[]): Promise<Buffer> {
  if (pdfs.length === 0) throw new AppError(400, 'bad-request', 'Yêu cầu không hợp lệ', 'Cần ít nhất một tệp PDF để ghép.');
  const out = await PDFDocument.create();
  out.setCreator('LienThong');
  for (const [i, buf] of pdfs.entries()) {
    const src = await loadPdf(buf).catch((err: unknown) => {
      if (err instanceof AppError) throw new AppError(err.status, err.code, err.title, `Tệp thứ ${i + 1}: ${err.detail ?? err.title}`);
      throw err;
    });
    try {
      for (const page of await out.copyPages(src, src.getPageIndices())) out.addPage(page);
    } catch {
      throw pdfInvalid(`${BROKEN_TITLE}: không sao chép được các trang của tệp thứ ${i + 1}.`);
    }
  }
  return Buffer.from(await out.save());
}

/**
 * One PDF from uploads in order (a scanned or photographed paper): PDFs as they are, each run of consecutive photos
 * as pages of one PDF, all merged; a single PDF comes back unchanged. Used by incoming documents and dossiers.
 */
export async function scansToPdf(items: { contentType: string; read: () => Promise<Buffer> }[]): Promise<Buffer> {
  const parts: Buffer[] = [];
  let photos: Buffer[] = [];
  for (const item of items) {
    const content = await item.read();
    if (item.contentType === 'application/pdf') {
      if (photos.length) parts.push(await imagesToPdf(photos));
      photos = [];
      parts.push(content);
    } else photos.push(content);
  }
  if (photos.length) parts.push(await imagesToPdf(photos));
  return parts.length === 1 ? parts[0] : mergePdfs(parts);
}
