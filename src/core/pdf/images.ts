import {
  type PDFImage,
  PDFDocument,
  concatTransformationMatrix,
  drawObject,
  popGraphicsState,
  pushGraphicsState,
} from 'pdf-lib';
import { AppError } from '../errors/index.js';

/** Phone photos and scans (JPEG/PNG) into one PDF: one image per A4 page, scaled to fit. */

export type ImageKind = 'jpeg' | 'png';

export function imageKind(buf: Buffer): ImageKind | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  return null;
}

/**
 * EXIF orientation (1–8) of a JPEG, 1 when absent or unreadable. Phones store the sensor's pixels
 * and record the rotation here instead of rotating them.
 */
export function jpegOrientation(buf: Buffer): number {
  try {
    return readOrientation(buf);
  } catch {
    return 1; // a malformed EXIF block is not worth refusing the photo for
  }
}

function readOrientation(buf: Buffer): number {
  let p = 2;
  while (p + 4 <= buf.length && buf[p] === 0xff) {
    const marker = buf[p + 1];
    if (marker === 0xda || marker === 0xd9) break; // image data starts: no EXIF before it
    const len = buf.readUInt16BE(p + 2);
    if (marker === 0xe1 && buf.toString('latin1', p + 4, p + 10) === 'Exif\0\0') {
      return tiffOrientation(buf.subarray(p + 10, p + 2 + len));
    }
    p += 2 + len;
  }
  return 1;
}

function tiffOrientation(tiff: Buffer): number {
  if (tiff.length < 8) return 1;
  const le = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return 1;
  const n = u16(ifd);
  for (let i = 0; i < n; i++) {
    const e = ifd + 2 + i * 12;
    if (e + 12 > tiff.length) break;
    if (u16(e) === 0x0112) {
      const v = u16(e + 8);
      return v >= 1 && v <= 8 ? v : 1;
    }
  }
  return 1;
}

/**
 * Where a point (p, q) of the stored image (fractions from its top-left corner) appears in the
 * upright image, for each EXIF orientation.
 */
const ORIENT: Record<number, (p: number, q: number) => [number, number]> = {
  1: (p, q) => [p, q],
  2: (p, q) => [1 - p, q],
  3: (p, q) => [1 - p, 1 - q],
  4: (p, q) => [p, 1 - q],
  5: (p, q) => [q, p],
  6: (p, q) => [1 - q, p],
  7: (p, q) => [1 - q, 1 - p],
  8: (p, q) => [q, 1 - p],
};

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 28.35; // 10 mm

function drawOriented(doc: PDFDocument, image: PDFImage, orientation: number) {
  const swap = orientation >= 5;
  const w = swap ? image.height : image.width;
  const h = swap ? image.width : image.height;
  // The page follows the picture: landscape photos on landscape pages.
  const [pw, ph] = w > h ? [A4[1], A4[0]] : A4;
  const scale = Math.min((pw - 2 * MARGIN) / w, (ph - 2 * MARGIN) / h);
  const bw = w * scale;
  const bh = h * scale;
  const x0 = (pw - bw) / 2;
  const y0 = (ph - bh) / 2;
  const page = doc.addPage([pw, ph]);
  // PDF draws an image on the unit square (u right, v up; v = 1 is the image's first row).
  // Map three corners through the orientation to get the affine matrix.
  const at = (u: number, v: number): [number, number] => {
    const [P, Q] = ORIENT[orientation](u, 1 - v);
    return [x0 + P * bw, y0 + (1 - Q) * bh];
  };
  const [e, f] = at(0, 0);
  const [ax, by] = at(1, 0);
  const [cx, dy] = at(0, 1);
  const name = page.node.newXObject('Image', image.ref);
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(ax - e, by - f, cx - e, dy - f, e, f), drawObject(name), popGraphicsState());
}

export async function imagesToPdf(images: Buffer[]): Promise<Buffer> {
  if (images.length === 0) throw new AppError(400, 'bad-request', 'Yêu cầu không hợp lệ', 'Cần ít nhất một ảnh.');
  const doc = await PDFDocument.create();
  doc.setCreator('LienThong');
  for (const [i, buf] of images.entries()) {
    const kind = imageKind(buf);
    if (!kind) {
      throw new AppError(415, 'unsupported-media-type', 'Định dạng tệp không được hỗ trợ', `Ảnh thứ ${i + 1} không phải JPEG hoặc PNG; chỉ nhận ảnh chụp JPEG hoặc PNG.`);
    }
    let image: PDFImage;
    try {
      // A copy: pdf-lib reads `bytes.buffer` from offset 0, but a Node Buffer is often a slice of a shared pool.
      const bytes = new Uint8Array(buf);
      image = kind === 'jpeg' ? await doc.embedJpg(bytes) : await doc.embedPng(bytes);
    } catch {
      throw new AppError(422, 'image-invalid', 'Ảnh bị hỏng', `Không đọc được ảnh thứ ${i + 1} (${kind.toUpperCase()}); vui lòng chụp hoặc quét lại.`);
    }
    drawOriented(doc, image, kind === 'jpeg' ? jpegOrientation(buf) : 1);
  }
  return Buffer.from(await doc.save());
}
