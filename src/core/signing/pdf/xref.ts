import {
  decodePDFRawStream,
  PDFArray,
  PDFContext,
  PDFDict,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFObjectParser,
  PDFRawStream,
  PDFRef,
} from 'pdf-lib';

/**
 * Reading a PDF through its cross-reference sections (tables and streams, following /Prev and
 * /XRefStm), objects parsed only when looked up. Signing needs a dozen objects (catalog, a page,
 * the form), so a 10 MB scan is not parsed at all: pdf-lib's own loader parses every object of the
 * file (~50 ms for 10 MB). Files whose cross-reference does not match their objects are left to
 * pdf-lib's full loader by the caller.
 */
type Entry = { type: 1; offset: number; gen: number } | { type: 2; stream: number; index: number };

export type XrefTrailer = {
  size: number;
  /** Offset of the last cross-reference section (the final startxref). */
  startxref: number;
  /** The last section is a cross-reference stream (PDF 1.5). */
  xrefStream: boolean;
  root: PDFObject;
  info?: PDFObject;
  id?: PDFObject;
  encrypt?: PDFObject;
};

const latin1 = (b: Uint8Array, from: number, to: number) => Buffer.from(b.buffer, b.byteOffset + from, Math.max(0, Math.min(to, b.length) - from)).toString('latin1');

/** The offset after "startxref", or null. */
function lastStartxref(bytes: Uint8Array): number | null {
  const tail = latin1(bytes, Math.max(0, bytes.length - 2048), bytes.length);
  const at = tail.lastIndexOf('startxref');
  const m = at === -1 ? null : /^startxref\s+(\d+)/.exec(tail.slice(at));
  return m ? Number(m[1]) : null;
}

/** One section at `offset`: its entries (not overriding newer ones) and its trailer dictionary. */
function readSection(bytes: Uint8Array, offset: number, context: PDFContext, entries: Map<number, Entry>): { dict: PDFDict; stream: boolean } | null {
  const head = latin1(bytes, offset, offset + 32);
  if (head.startsWith('xref')) {
    let pos = offset + 4;
    const text = latin1(bytes, pos, bytes.length);
    const trailerAt = text.indexOf('trailer');
    if (trailerAt === -1) return null;
    const table = text.slice(0, trailerAt);
    const re = /(\d+)\s+(\d+)\s*[\r\n]+/y;
    let i = 0;
    while (i < table.length) {
      while (i < table.length && /\s/.test(table[i])) i++;
      if (i >= table.length) break;
      re.lastIndex = i;
      const sub = re.exec(table);
      if (!sub) return null;
      const first = Number(sub[1]);
      const count = Number(sub[2]);
      i = re.lastIndex;
      for (let k = 0; k < count; k++) {
        const line = table.slice(i, i + 20);
        const m = /^(\d{10}) (\d{5}) ([nf])/.exec(line);
        if (!m) return null;
        const num = first + k;
        if (!entries.has(num)) entries.set(num, m[3] === 'n' ? { type: 1, offset: Number(m[1]), gen: Number(m[2]) } : { type: 1, offset: -1, gen: 0 });
        i += 20;
      }
    }
    pos += trailerAt + 7;
    const dict = PDFObjectParser.forBytes(bytes.subarray(pos, Math.min(bytes.length, pos + 65536)), context).parseObject();
    return dict instanceof PDFDict ? { dict, stream: false } : null;
  }
  const obj = /^(\d+)\s+(\d+)\s+obj\s*/.exec(head);
  if (!obj) return null;
  const stream = PDFObjectParser.forBytes(bytes.subarray(offset + obj[0].length), context).parseObject();
  if (!(stream instanceof PDFRawStream) || stream.dict.get(PDFName.of('Type'))?.toString() !== '/XRef') return null;
  const data = decodePDFRawStream(stream).decode();
  const w = (stream.dict.lookup(PDFName.of('W')) as PDFArray).asArray().map((n) => (n as PDFNumber).asNumber());
  const size = (stream.dict.get(PDFName.of('Size')) as PDFNumber).asNumber();
  const index = stream.dict.lookup(PDFName.of('Index'));
  const ranges = index instanceof PDFArray ? index.asArray().map((n) => (n as PDFNumber).asNumber()) : [0, size];
  const row = w[0] + w[1] + w[2];
  const field = (at: number, width: number, dflt: number) => {
    if (width === 0) return dflt;
    let v = 0;
    for (let k = 0; k < width; k++) v = v * 256 + data[at + k];
    return v;
  };
  let at = 0;
  for (let r = 0; r + 1 < ranges.length; r += 2) {
    for (let k = 0; k < ranges[r + 1]; k++, at += row) {
      if (at + row > data.length) return null;
      const num = ranges[r] + k;
      const type = field(at, w[0], 1);
      const a = field(at + w[0], w[1], 0);
      const b = field(at + w[0] + w[1], w[2], 0);
      if (entries.has(num)) continue;
      if (type === 1) entries.set(num, { type: 1, offset: a, gen: b });
      else if (type === 2) entries.set(num, { type: 2, stream: a, index: b });
      else entries.set(num, { type: 1, offset: -1, gen: 0 });
    }
  }
  return { dict: stream.dict, stream: true };
}

export type LazyXref = { trailer: XrefTrailer; entries: Map<number, Entry> };

/** All cross-reference sections from the last one back; null when the chain is broken. */
export function readXref(bytes: Uint8Array, context: PDFContext): LazyXref | null {
  const startxref = lastStartxref(bytes);
  if (startxref === null || startxref <= 0 || startxref >= bytes.length) return null;
  const entries = new Map<number, Entry>();
  let trailer: XrefTrailer | null = null;
  const seen = new Set<number>();
  let next: number | null = startxref;
  try {
    while (next !== null && !seen.has(next)) {
      seen.add(next);
      const section = readSection(bytes, next, context, entries);
      if (!section) return null;
      const { dict } = section;
      const hybrid = dict.get(PDFName.of('XRefStm'));
      if (hybrid instanceof PDFNumber && !readSection(bytes, hybrid.asNumber(), context, entries)) return null;
      if (!trailer) {
        const size = dict.get(PDFName.of('Size'));
        const root = dict.get(PDFName.of('Root'));
        if (!(size instanceof PDFNumber) || !(root instanceof PDFRef)) return null;
        trailer = {
          size: size.asNumber(),
          startxref,
          xrefStream: section.stream,
          root,
          info: dict.get(PDFName.of('Info')),
          id: dict.get(PDFName.of('ID')),
          encrypt: dict.get(PDFName.of('Encrypt')),
        };
      }
      const prev = dict.get(PDFName.of('Prev'));
      next = prev instanceof PDFNumber ? prev.asNumber() : null;
    }
  } catch {
    return null;
  }
  if (!trailer) return null;
  // Every object the table places in the file must start where it says (broken offsets are common).
  for (const [num, e] of entries) {
    if (e.type !== 1 || e.offset < 0) continue;
    const head = latin1(bytes, e.offset, e.offset + 24);
    if (!head.startsWith(`${num} ${e.gen} obj`) && !new RegExp(`^${num}\\s+${e.gen}\\s+obj`).test(head)) return null;
  }
  return { trailer, entries };
}

/**
 * A pdf-lib context whose lookups parse objects on first use from the cross-reference entries.
 * Objects created later (register/assign) live in it as usual.
 */
export function lazyContext(bytes: Uint8Array, xref: LazyXref): PDFContext {
  const context = PDFContext.create();
  const objects = (context as unknown as { indirectObjects: Map<PDFRef, PDFObject> }).indirectObjects;
  const streams = new Map<number, { data: Uint8Array; offsets: Map<number, number>; first: number }>();

  const objectStream = (num: number) => {
    let s = streams.get(num);
    if (!s) {
      const raw = load(PDFRef.of(num, 0));
      if (!(raw instanceof PDFRawStream)) throw new Error(`object stream ${num} missing`);
      const data = decodePDFRawStream(raw).decode();
      const n = (raw.dict.get(PDFName.of('N')) as PDFNumber).asNumber();
      const first = (raw.dict.get(PDFName.of('First')) as PDFNumber).asNumber();
      const pairs = latin1(data, 0, first).trim().split(/\s+/).map(Number);
      const offsets = new Map<number, number>();
      for (let i = 0; i < n; i++) offsets.set(pairs[2 * i], pairs[2 * i + 1]);
      s = { data, offsets, first };
      streams.set(num, s);
    }
    return s;
  };

  function load(ref: PDFRef): PDFObject | undefined {
    const known = objects.get(ref);
    if (known !== undefined) return known;
    const entry = xref.entries.get(ref.objectNumber);
    if (!entry) return undefined;
    let object: PDFObject;
    if (entry.type === 1) {
      if (entry.offset < 0 || entry.gen !== ref.generationNumber) return undefined;
      const header = /^\d+\s+\d+\s+obj\s*/.exec(latin1(bytes, entry.offset, entry.offset + 32))!;
      object = PDFObjectParser.forBytes(bytes.subarray(entry.offset + header[0].length), context).parseObject();
    } else {
      const s = objectStream(entry.stream);
      const at = s.offsets.get(ref.objectNumber);
      if (at === undefined) return undefined;
      object = PDFObjectParser.forBytes(s.data.subarray(s.first + at), context).parseObject();
    }
    objects.set(ref, object);
    return object;
  }

  const lookup = context.lookup.bind(context);
  const lookupMaybe = context.lookupMaybe.bind(context);
  context.lookup = ((ref: unknown, ...types: unknown[]) => {
    if (ref instanceof PDFRef) load(ref);
    return (lookup as (...a: unknown[]) => unknown)(ref, ...types);
  }) as typeof context.lookup;
  context.lookupMaybe = ((ref: unknown, ...types: unknown[]) => {
    if (ref instanceof PDFRef) load(ref);
    return (lookupMaybe as (...a: unknown[]) => unknown)(ref, ...types);
  }) as typeof context.lookupMaybe;
  context.largestObjectNumber = xref.trailer.size - 1;
  context.trailerInfo = { Root: xref.trailer.root, Info: xref.trailer.info, ID: xref.trailer.id, Encrypt: xref.trailer.encrypt };
  return context;
}
