import jsQRModule from 'jsqr';
import { PDFArray, PDFDict, PDFDocument, PDFName, type PDFNumber, PDFRawStream, type PDFRef, decodePDFRawStream } from 'pdf-lib';

// jsqr is CommonJS with an ES-style default in its types: under Node's ESM the function is the module itself.
type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR = ((jsQRModule as unknown as { default?: Decode }).default ?? jsQRModule) as unknown as Decode;

/**
 * Test helpers that read back what a generated PDF shows: its text (through the fonts' ToUnicode maps,
 * as a PDF reader copies it) and the QR codes of its images (decoded with jsQR, as a phone would).
 */

const bytesOf = (doc: PDFDocument, ref: unknown) => decodePDFRawStream(doc.context.lookup(ref as PDFRef) as PDFRawStream).decode();

function toUnicodeMap(doc: PDFDocument, font: PDFDict): Map<string, string> {
  const map = new Map<string, string>();
  const ref = font.get(PDFName.of('ToUnicode'));
  if (!ref) return map;
  const cmap = Buffer.from(bytesOf(doc, ref)).toString('latin1');
  for (const [, gid, hex] of cmap.matchAll(/<([0-9a-f]{4})> <([0-9a-f]+)>/gi)) {
    map.set(gid.toLowerCase(), Buffer.from(hex, 'hex').swap16().toString('utf16le'));
  }
  return map;
}

/** The text of every page, one string per drawn run, joined by new lines. */
export async function pdfText(pdf: Buffer): Promise<string> {
  const doc = await PDFDocument.load(new Uint8Array(pdf));
  const out: string[] = [];
  for (const page of doc.getPages()) {
    const fonts = new Map<string, Map<string, string>>();
    const fontDict = page.node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict);
    for (const [name, ref] of fontDict?.entries() ?? []) fonts.set(name.decodeText(), toUnicodeMap(doc, doc.context.lookup(ref, PDFDict)));
    const contents = page.node.Contents();
    const refs = contents instanceof PDFArray ? contents.asArray() : [page.node.get(PDFName.of('Contents'))];
    const stream = refs.map((r) => Buffer.from(bytesOf(doc, r)).toString('latin1')).join('\n');
    let current = new Map<string, string>();
    for (const m of stream.matchAll(/\/([^\s/]+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]+)>\s*Tj/g)) {
      if (m[1]) current = fonts.get(m[1]) ?? new Map();
      else out.push((m[2].toLowerCase().match(/.{4}/g) ?? []).map((g) => current.get(g) ?? '').join(''));
    }
  }
  return out.join('\n');
}

/** The contents of every QR code found in the PDF's images. */
export async function pdfQrCodes(pdf: Buffer): Promise<string[]> {
  const doc = await PDFDocument.load(new Uint8Array(pdf));
  const found: string[] = [];
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFRawStream) || obj.dict.get(PDFName.of('Subtype'))?.toString() !== '/Image') continue;
    const width = (obj.dict.get(PDFName.of('Width')) as PDFNumber).asNumber();
    const height = (obj.dict.get(PDFName.of('Height')) as PDFNumber).asNumber();
    const raw = decodePDFRawStream(obj).decode();
    const channels = raw.length / (width * height);
    if (channels !== 1 && channels !== 3) continue; // soft masks and other layouts are not codes
    const rgba = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      const [r, g, b] = channels === 3 ? [raw[i * 3], raw[i * 3 + 1], raw[i * 3 + 2]] : [raw[i], raw[i], raw[i]];
      rgba.set([r, g, b, 255], i * 4);
    }
    const code = jsQR(rgba, width, height);
    if (code) found.push(code.data);
  }
  return found;
}
