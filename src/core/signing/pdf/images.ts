import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { JpegEmbedder, PngEmbedder, type PDFRef } from 'pdf-lib';
import { AppError } from '../../errors/index.js';
import { type IncrementalPdf } from './incremental.js';

/**
 * Signature and seal images as image XObjects. A PNG is decoded and split into colour and alpha
 * (soft mask) once per distinct image and kept compressed (native zlib): the same leader's
 * signature and the same seal go on document after document, and decoding plus recompressing
 * them each time cost more than the rest of a signature.
 */
export type EmbeddedImage = { ref: PDFRef; width: number; height: number };

type PreparedPng = { width: number; height: number; bitsPerComponent: number; rgb: Buffer; alpha: Buffer | null };

const prepared = new Map<string, PreparedPng>();

const imageError = (what: string) =>
  new AppError(422, 'signature-image-invalid', 'Ảnh chữ ký hoặc con dấu không hợp lệ', `${what} phải là ảnh PNG (nền trong suốt) hoặc JPEG.`);

async function preparePng(bytes: Uint8Array): Promise<PreparedPng> {
  const key = createHash('sha256').update(bytes).digest('hex');
  let png = prepared.get(key);
  if (!png) {
    // pdf-lib's PNG decoder (UPNG), colour and alpha split; its `image` is private in the typings.
    const { image } = (await PngEmbedder.for(bytes)) as unknown as { image: { width: number; height: number; bitsPerComponent: number; rgbChannel: Uint8Array; alphaChannel?: Uint8Array } };
    png = {
      width: image.width,
      height: image.height,
      bitsPerComponent: image.bitsPerComponent,
      rgb: zlib.deflateSync(image.rgbChannel),
      alpha: image.alphaChannel ? zlib.deflateSync(image.alphaChannel) : null,
    };
    if (prepared.size >= 32) prepared.delete(prepared.keys().next().value!);
    prepared.set(key, png);
  }
  return png;
}

export async function embedImage(update: IncrementalPdf, bytes: Uint8Array, what: string): Promise<EmbeddedImage> {
  const { context } = update;
  try {
    if (bytes[0] === 0x89 && bytes[1] === 0x50) {
      const png = await preparePng(bytes);
      const common = { Type: 'XObject', Subtype: 'Image', Width: png.width, Height: png.height, BitsPerComponent: png.bitsPerComponent, Filter: 'FlateDecode' };
      const smask = png.alpha ? context.register(context.stream(png.alpha, { ...common, ColorSpace: 'DeviceGray', Decode: [0, 1] })) : undefined;
      const ref = context.register(context.stream(png.rgb, { ...common, ColorSpace: 'DeviceRGB', ...(smask ? { SMask: smask } : {}) }));
      return { ref, width: png.width, height: png.height };
    }
    if (bytes[0] === 0xff && bytes[1] === 0xd8) {
      const jpeg = await JpegEmbedder.for(bytes);
      return { ref: await jpeg.embedIntoContext(context), width: jpeg.width, height: jpeg.height };
    }
  } catch {
    throw imageError(what);
  }
  throw imageError(what);
}
