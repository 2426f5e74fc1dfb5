import {
  type PDFArray,
  PDFContext,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFObjectParser,
  PDFRef,
  ParseSpeeds,
} from 'pdf-lib';
import { AppError } from '../../errors/index.js';
import { hasPdfMagic } from '../../pdf/index.js';
import { lazyContext, readXref, type XrefTrailer } from './xref.js';

/**
 * Incremental updates (ISO 32000-1 §7.5.6). pdf-lib reads the document — lazily through the
 * cross-reference when it matches the file (xref.ts), else with its full loader; new and changed objects are
 * appended after the original bytes with a cross-reference section of the same kind as the file's
 * last one (classic table, or cross-reference stream) pointing back with /Prev. Earlier bytes stay
 * untouched, so earlier signatures stay valid.
 *
 * Only objects passed to `touch()` and objects created after opening are written. Change existing
 * objects through their dictionaries (get/set), never through pdf-lib's page drawing API: it
 * normalises page dictionaries, and every extra change shows as a modification to a validator.
 */

const enc = new TextEncoder();
const BROKEN = 'Tệp PDF bị hỏng hoặc được mã hoá';
const pdfInvalid = (detail: string) => new AppError(422, 'pdf-invalid', BROKEN, `${BROKEN}: ${detail}`);

export type TrailerInfo = XrefTrailer;

function lastIndexOf(bytes: Uint8Array, text: string, from = bytes.length): number {
  const needle = enc.encode(text);
  outer: for (let i = Math.min(from, bytes.length - needle.length); i >= 0; i--) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

export function indexOf(bytes: Uint8Array, text: string, from = 0): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(text, from, 'latin1');
}

/** Reads the last trailer (classic or cross-reference stream); null when the file's end is broken. */
function readTrailer(bytes: Uint8Array, doc: PDFDocument): TrailerInfo | null {
  const tail = Math.max(0, bytes.length - 2048);
  const sx = lastIndexOf(bytes, 'startxref');
  if (sx < tail) return null;
  const match = /^startxref\s+(\d+)/.exec(Buffer.from(bytes.subarray(sx, sx + 40)).toString('latin1'));
  if (!match) return null;
  const startxref = Number(match[1]);
  if (startxref <= 0 || startxref >= sx) return null;
  const head = Buffer.from(bytes.subarray(startxref, startxref + 32)).toString('latin1');
  let dict: PDFObject;
  let xrefStream: boolean;
  try {
    if (head.startsWith('xref')) {
      const t = indexOf(bytes, 'trailer', startxref);
      if (t === -1 || t > sx) return null;
      dict = PDFObjectParser.forBytes(bytes.subarray(t + 7, sx), doc.context).parseObject();
      xrefStream = false;
    } else {
      const obj = /^(\d+)\s+(\d+)\s+obj/.exec(head);
      if (!obj) return null;
      const parsed = PDFObjectParser.forBytes(bytes.subarray(startxref + obj[0].length, sx), doc.context).parseObject();
      dict = 'dict' in parsed ? (parsed as unknown as { dict: PDFDict }).dict : parsed;
      xrefStream = true;
    }
  } catch {
    return null;
  }
  if (!(dict instanceof PDFDict)) return null;
  const size = dict.get(PDFName.of('Size'));
  const root = dict.get(PDFName.of('Root'));
  if (!(size instanceof PDFNumber) || !root) return null;
  return {
    size: size.asNumber(),
    startxref,
    xrefStream,
    root,
    info: dict.get(PDFName.of('Info')),
    id: dict.get(PDFName.of('ID')),
  };
}

function checkMagic(bytes: Uint8Array): void {
  if (!hasPdfMagic(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) {
    throw new AppError(415, 'unsupported-media-type', 'Định dạng tệp không được hỗ trợ', 'Tệp không phải PDF.');
  }
}

function checkDocument(doc: PDFDocument): PDFDocument {
  if (doc.isEncrypted) throw pdfInvalid('tệp được đặt mật khẩu hoặc mã hoá; không thể ký. Vui lòng gỡ mã hoá (in lại ra PDF).');
  const root = doc.catalog.lookup(PDFName.of('Pages'));
  const count = root instanceof PDFDict ? root.get(PDFName.of('Count')) : undefined;
  if (!(count instanceof PDFNumber) || count.asNumber() < 1) throw pdfInvalid('tệp không có trang nào đọc được.');
  return doc;
}

/** pdf-lib's loader: every object of the file parsed (files whose cross-reference is unusable). */
async function loadWhole(bytes: Uint8Array): Promise<PDFDocument> {
  checkMagic(bytes);
  try {
    return checkDocument(await PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest, ignoreEncryption: true }));
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw pdfInvalid('không đọc được cấu trúc tệp.');
  }
}

type DocumentConstructor = new (context: PDFContext, ignoreEncryption: boolean, updateMetadata: boolean) => PDFDocument;

/** Objects read on demand through the cross-reference; null when it does not match the file. */
function loadLazy(bytes: Uint8Array): { doc: PDFDocument; trailer: TrailerInfo } | null {
  checkMagic(bytes);
  const xref = readXref(bytes, PDFContext.create());
  if (!xref) return null;
  try {
    // pdf-lib's PDFDocument constructor (private in its types) over the lazily filled context.
    const doc = new (PDFDocument as unknown as DocumentConstructor)(lazyContext(bytes, xref), true, false);
    return { doc: checkDocument(doc), trailer: xref.trailer };
  } catch (err) {
    if (err instanceof AppError) throw err;
    return null;
  }
}

export type SavedUpdate = {
  bytes: Uint8Array;
  /** Offset in `bytes` of each object written ("N G obj"). */
  offsets: Map<number, number>;
};

export class IncrementalPdf {
  private readonly touched = new Map<number, PDFRef>();
  private readonly hooks: (() => void)[] = [];

  private constructor(
    readonly original: Uint8Array,
    readonly doc: PDFDocument,
    readonly trailer: TrailerInfo,
  ) {
    // New objects get numbers from /Size on (pdf-lib counts only the objects it kept).
    doc.context.largestObjectNumber = Math.max(doc.context.largestObjectNumber, trailer.size - 1);
  }

  /**
   * Opens a PDF for an incremental update. A file whose end (startxref/trailer) is broken is
   * rewritten once by pdf-lib first — unless it carries signatures, which a rewrite would break.
   */
  static async open(bytes: Uint8Array): Promise<IncrementalPdf> {
    const lazy = loadLazy(bytes);
    if (lazy) return new IncrementalPdf(bytes, lazy.doc, lazy.trailer);
    const doc = await loadWhole(bytes);
    const trailer = readTrailer(bytes, doc);
    if (trailer) return new IncrementalPdf(bytes, doc, trailer);
    if (indexOf(bytes, '/ByteRange') !== -1) throw pdfInvalid('phần cuối tệp (bảng tham chiếu chéo) bị hỏng trong một tệp đã ký; không thể ký tiếp.');
    const rewritten = await doc.save({ useObjectStreams: false });
    const again = await loadWhole(rewritten);
    const repaired = readTrailer(rewritten, again);
    if (!repaired) throw pdfInvalid('không đọc được bảng tham chiếu chéo.');
    return new IncrementalPdf(rewritten, again, repaired);
  }

  get context() {
    return this.doc.context;
  }

  get catalog(): PDFDict {
    return this.doc.catalog;
  }

  /** The catalog's reference (the trailer's /Root). */
  get catalogRef(): PDFRef {
    if (!(this.trailer.root instanceof PDFRef)) throw pdfInvalid('danh mục gốc (/Root) không hợp lệ.');
    return this.trailer.root;
  }

  /** Marks an existing object as changed: it is written again in the update. */
  touch(ref: PDFRef): void {
    this.touched.set(ref.objectNumber, ref);
  }

  register(object: PDFObject): PDFRef {
    return this.context.register(object);
  }

  lookupDict(value: PDFObject | undefined): PDFDict | undefined {
    const found = value === undefined ? undefined : this.context.lookup(value);
    return found instanceof PDFDict ? found : undefined;
  }

  /**
   * The dictionary under `key` of the holder, made changeable: an indirect one is touched, a direct
   * one changes with its holder (which the caller has touched), a missing one is created indirect.
   */
  editableDict(holder: PDFDict, key: string): PDFDict {
    const value = holder.get(PDFName.of(key));
    if (value instanceof PDFRef) {
      const dict = this.context.lookup(value);
      if (dict instanceof PDFDict) {
        this.touch(value);
        return dict;
      }
    } else if (value instanceof PDFDict) {
      return value;
    }
    const dict = this.context.obj({});
    holder.set(PDFName.of(key), this.register(dict));
    return dict;
  }

  /** Like editableDict for an array (e.g. /Annots, /Fields). */
  editableArray(holder: PDFDict, key: string): PDFArray {
    const value = holder.get(PDFName.of(key));
    if (value instanceof PDFRef) {
      const array = this.context.lookup(value);
      if (array && 'push' in array) {
        this.touch(value);
        return array as PDFArray;
      }
    } else if (value && 'push' in value) {
      return value as PDFArray;
    }
    const array = this.context.obj([]);
    holder.set(PDFName.of(key), array);
    return array;
  }

  /** Runs just before saving (e.g. a font subset writes its objects once all text is known). */
  beforeSave(hook: () => void): void {
    this.hooks.push(hook);
  }

  /** The original bytes followed by the update: changed and new objects, cross-reference, trailer. */
  async save(): Promise<SavedUpdate> {
    await this.doc.flush(); // images embedded through pdf-lib become objects now
    for (const hook of this.hooks.splice(0)) hook();
    const written = new Map(this.touched);
    for (const [ref] of this.context.enumerateIndirectObjects()) {
      if (ref.objectNumber >= this.trailer.size) written.set(ref.objectNumber, ref);
    }
    const refs = [...written.values()].sort((a, b) => a.objectNumber - b.objectNumber);
    const base = this.original.length;
    const lead = this.original[base - 1] === 0x0a || this.original[base - 1] === 0x0d ? '' : '\n';
    const chunks: Uint8Array[] = [enc.encode(lead)];
    let position = base + chunks[0].length;
    const offsets = new Map<number, number>();
    for (const ref of refs) {
      const object = this.context.lookup(ref)!;
      const head = enc.encode(`${ref.objectNumber} ${ref.generationNumber} obj\n`);
      const body = new Uint8Array(object.sizeInBytes());
      object.copyBytesInto(body, 0);
      const tail = enc.encode('\nendobj\n');
      offsets.set(ref.objectNumber, position);
      chunks.push(head, body, tail);
      position += head.length + body.length + tail.length;
    }
    const size = Math.max(this.trailer.size, this.context.largestObjectNumber + 1);
    const xref = this.trailer.xrefStream ? this.xrefStream(refs, offsets, position, size) : this.xrefTable(refs, offsets, position, size);
    chunks.push(xref);
    const total = position + xref.length;
    // Every byte is written below: no need to zero 10 MB first.
    const out = new Uint8Array(Buffer.allocUnsafeSlow(total).buffer, 0, total);
    out.set(this.original, 0);
    let at = base;
    for (const chunk of chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return { bytes: out, offsets };
  }

  private trailerEntries(size: number): string {
    const t = this.trailer;
    let s = `/Size ${size} /Root ${t.root.toString()}`;
    if (t.info) s += ` /Info ${t.info.toString()}`;
    s += ` /ID ${t.id ? t.id.toString() : this.newId()}`;
    return `${s} /Prev ${t.startxref}`;
  }

  private newId(): string {
    const id = PDFHexString.of(Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex').toUpperCase());
    return `[${id.toString()} ${id.toString()}]`;
  }

  private xrefTable(refs: PDFRef[], offsets: Map<number, number>, xrefAt: number, size: number): Uint8Array {
    const generations = new Map(refs.map((r) => [r.objectNumber, r.generationNumber]));
    let s = 'xref\n';
    for (const run of runs(refs.map((r) => r.objectNumber))) {
      s += `${run[0]} ${run.length}\n`;
      for (const n of run) {
        const gen = generations.get(n) ?? 0;
        s += `${String(offsets.get(n)).padStart(10, '0')} ${String(gen).padStart(5, '0')} n\r\n`;
      }
    }
    s += `trailer\n<< ${this.trailerEntries(size)} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
    return enc.encode(s);
  }

  private xrefStream(refs: PDFRef[], offsets: Map<number, number>, xrefAt: number, size: number): Uint8Array {
    const own = size; // the stream's own object number
    const generations = new Map(refs.map((r) => [r.objectNumber, r.generationNumber]));
    const numbers = [...refs.map((r) => r.objectNumber), own];
    const all = new Map(offsets).set(own, xrefAt);
    const rows = Buffer.alloc(numbers.length * 7);
    let index = '';
    let i = 0;
    for (const run of runs(numbers)) {
      index += `${run[0]} ${run.length} `;
      for (const n of run) {
        rows.writeUInt8(1, i * 7);
        rows.writeUInt32BE(all.get(n)!, i * 7 + 1);
        rows.writeUInt16BE(generations.get(n) ?? 0, i * 7 + 5);
        i++;
      }
    }
    const dict = `<< /Type /XRef ${this.trailerEntries(own + 1)} /Index [${index.trim()}] /W [1 4 2] /Length ${rows.length} >>`;
    const head = enc.encode(`${own} 0 obj\n${dict}\nstream\n`);
    const tail = enc.encode(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`);
    const out = new Uint8Array(head.length + rows.length + tail.length);
    out.set(head, 0);
    out.set(rows, head.length);
    out.set(tail, head.length + rows.length);
    return out;
  }
}

/** Sorted numbers grouped into runs of consecutive numbers (cross-reference subsections). */
function runs(numbers: number[]): number[][] {
  const out: number[][] = [];
  for (const n of [...numbers].sort((a, b) => a - b)) {
    const last = out[out.length - 1];
    if (last && last[last.length - 1] === n - 1) last.push(n);
    else out.push([n]);
  }
  return out;
}
