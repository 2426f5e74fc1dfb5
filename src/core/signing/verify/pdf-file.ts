import { inflateSync, constants as zlibConstants } from 'node:zlib';
import { isDict, nameOf, PdfParser, PdfRef, PdfStream, PdfSyntaxError, type PdfDict, type PdfValue } from './pdf-syntax.js';

/**
 * The file structure of a PDF with its incremental updates (ISO 32000-1 §7.5): every cross-reference
 * section (table or stream, hybrid /XRefStm too) in the order the /Prev chain gives, and a view of the
 * document as it was at any earlier revision. Objects are read lazily from their offsets, so checking a
 * signature in a 10 MB file reads the few objects it needs. A file whose cross-reference data is broken
 * is indexed by scanning for `n g obj` (as viewers do).
 */

export type XrefEntry = { type: 'free' } | { type: 'offset'; offset: number; gen: number } | { type: 'compressed'; stream: number; index: number };

export type XrefSection = {
  /** Where the section starts (`xref` keyword or the xref stream object); sections sort by it. */
  offset: number;
  entries: Map<number, XrefEntry>;
  trailer: PdfDict;
  kind: 'table' | 'stream' | 'rebuilt';
};

const latin1 = (buf: Uint8Array) => Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);

export class PdfFile {
  /** Oldest first. */
  readonly sections: XrefSection[];
  private readonly cache = new Map<string, PdfValue>();
  private objStreams = new Map<number, { offsets: number[]; data: Uint8Array; first: number }>();
  private scanned?: Map<number, number>;
  private readonly views = new Map<number, PdfView>();

  constructor(readonly bytes: Uint8Array) {
    this.sections = this.readSections();
  }

  get rebuilt(): boolean {
    return this.sections.length === 1 && this.sections[0].kind === 'rebuilt';
  }

  /** The document as of the sections that start before `end` (all sections when omitted). */
  view(end = Infinity): PdfView {
    // Views of the same revision are shared (their objects and roles are computed once).
    const first = this.sections.find((s) => s.offset >= end)?.offset ?? Infinity;
    const cached = this.views.get(first);
    if (cached) return cached;
    const entries = new Map<number, XrefEntry>();
    const trailer: PdfDict = new Map();
    for (const section of this.sections) {
      if (section.offset >= end) continue;
      for (const [num, entry] of section.entries) entries.set(num, entry);
      for (const [key, value] of section.trailer) if (key !== 'Prev' && key !== 'XRefStm') trailer.set(key, value);
    }
    const view = new PdfView(this, entries, trailer);
    this.views.set(first, view);
    return view;
  }

  // ---- reading objects ----

  /** Reads an indirect object through a cross-reference entry (cached per location). */
  readEntry(num: number, entry: XrefEntry, view: PdfView): PdfValue | undefined {
    if (entry.type === 'free') return undefined;
    if (entry.type === 'offset') {
      const key = `o${entry.offset}`;
      if (this.cache.has(key)) return this.cache.get(key);
      let value = this.readAt(entry.offset, num, view);
      if (value === undefined) {
        const offset = this.scanIndex().get(num);
        if (offset !== undefined) value = this.readAt(offset, num, view);
      }
      this.cache.set(key, value ?? null);
      return value;
    }
    const streamEntry = view.entries.get(entry.stream);
    if (!streamEntry || streamEntry.type !== 'offset') return undefined;
    const key = `c${streamEntry.offset}:${entry.index}`;
    if (this.cache.has(key)) return this.cache.get(key);
    let value: PdfValue | undefined;
    try {
      const stream = this.objectStream(streamEntry.offset, entry.stream, view);
      const at = stream.offsets[entry.index];
      value = at === undefined ? undefined : new PdfParser(stream.data, stream.first + at).readValue();
    } catch {
      value = undefined;
    }
    this.cache.set(key, value ?? null);
    return value;
  }

  /** Offset of the `n g obj` header of an uncompressed object in a view (for "is it inside the signed range"). */
  offsetOf(num: number, view: PdfView): number | undefined {
    const entry = view.entries.get(num);
    return entry?.type === 'offset' ? entry.offset : undefined;
  }

  private readAt(offset: number, num: number, view: PdfView): PdfValue | undefined {
    try {
      const parser = new PdfParser(this.bytes, offset, (ref) => {
        const length = ref.num === num ? undefined : view.get(ref.num);
        return typeof length === 'number' ? length : undefined;
      });
      const header = parser.readObjectHeader();
      if (!header || header.num !== num) return undefined;
      return parser.readValue();
    } catch (err) {
      if (err instanceof PdfSyntaxError) return undefined;
      throw err;
    }
  }

  private objectStream(offset: number, num: number, view: PdfView) {
    const cached = this.objStreams.get(offset);
    if (cached) return cached;
    const stream = this.readAt(offset, num, view);
    if (!(stream instanceof PdfStream) || nameOf(stream.dict.get('Type')) !== 'ObjStm') throw new PdfSyntaxError(`object ${num} is not an object stream`);
    const data = decodeStream(stream, view);
    const n = Number(view.resolve(stream.dict.get('N')) ?? 0);
    const first = Number(view.resolve(stream.dict.get('First')) ?? 0);
    const parser = new PdfParser(data);
    const offsets: number[] = [];
    for (let i = 0; i < n; i++) {
      const objNum = parser.readInt();
      const at = parser.readInt();
      if (objNum === undefined || at === undefined) break;
      offsets.push(at);
    }
    const parsed = { offsets, data, first };
    this.objStreams.set(offset, parsed);
    return parsed;
  }

  // ---- cross-reference sections ----

  private readSections(): XrefSection[] {
    const chain: XrefSection[] = [];
    const seen = new Set<number>();
    let offset = this.lastStartxref();
    try {
      while (offset !== undefined && !seen.has(offset)) {
        seen.add(offset);
        const section = this.readSection(offset);
        chain.push(section);
        const prev = section.trailer.get('Prev');
        offset = typeof prev === 'number' ? prev : undefined;
      }
    } catch {
      chain.length = 0;
    }
    if (chain.length === 0 || !chain.some((s) => s.trailer.get('Root') instanceof PdfRef)) return [this.rebuild()];
    return chain.reverse();
  }

  private lastStartxref(): number | undefined {
    const tail = Math.max(0, this.bytes.length - 4096);
    const at = latin1(this.bytes).lastIndexOf('startxref', undefined, 'latin1');
    if (at < tail) return undefined;
    const parser = new PdfParser(this.bytes, at + 9);
    return parser.readInt();
  }

  private readSection(offset: number): XrefSection {
    const parser = new PdfParser(this.bytes, offset);
    if (parser.peekKeyword() === 'xref') return this.readTable(parser, offset);
    const header = parser.readObjectHeader();
    const stream = header && parser.readValue();
    if (!(stream instanceof PdfStream) || nameOf(stream.dict.get('Type')) !== 'XRef') throw new PdfSyntaxError(`no cross-reference at ${offset}`);
    return { offset, entries: this.streamEntries(stream), trailer: stream.dict, kind: 'stream' };
  }

  private readTable(parser: PdfParser, offset: number): XrefSection {
    parser.readKeyword();
    const entries = new Map<number, XrefEntry>();
    for (;;) {
      const start = parser.readInt();
      if (start === undefined) break;
      const count = parser.readInt();
      if (count === undefined) throw new PdfSyntaxError('bad xref subsection');
      for (let i = 0; i < count; i++) {
        const field = parser.readInt();
        const gen = parser.readInt();
        const kind = parser.readKeyword();
        if (field === undefined || gen === undefined || (kind !== 'n' && kind !== 'f')) throw new PdfSyntaxError('bad xref entry');
        // Object 0 of a first subsection written as "1 n" by some tools is the usual off-by-one; keep it simple.
        entries.set(start + i, kind === 'n' ? { type: 'offset', offset: field, gen } : { type: 'free' });
      }
    }
    if (parser.readKeyword() !== 'trailer') throw new PdfSyntaxError('no trailer');
    const trailer = parser.readValue();
    if (!isDict(trailer)) throw new PdfSyntaxError('bad trailer');
    const xrefStm = trailer.get('XRefStm');
    if (typeof xrefStm === 'number') {
      // Hybrid file: the stream lists what the table leaves out (objects in object streams).
      try {
        for (const [num, entry] of this.readSection(xrefStm).entries) if (entries.get(num)?.type !== 'offset') entries.set(num, entry);
      } catch {
        // A broken XRefStm leaves the table as it is.
      }
    }
    return { offset, entries, trailer, kind: 'table' };
  }

  private streamEntries(stream: PdfStream): Map<number, XrefEntry> {
    const dict = stream.dict;
    const widths = (dict.get('W') as PdfValue[] | undefined)?.map(Number) ?? [];
    if (widths.length !== 3 || widths.some((w) => !Number.isInteger(w) || w < 0 || w > 8)) throw new PdfSyntaxError('bad /W');
    const size = Number(dict.get('Size') ?? 0);
    const index = ((dict.get('Index') as PdfValue[] | undefined) ?? [0, size]).map(Number);
    const data = decodeStream(stream, undefined);
    const rowLength = widths[0] + widths[1] + widths[2];
    const entries = new Map<number, XrefEntry>();
    let row = 0;
    for (let i = 0; i + 1 < index.length; i += 2) {
      for (let k = 0; k < index[i + 1]; k++, row++) {
        let p = row * rowLength;
        if (p + rowLength > data.length) return entries;
        const field = (w: number) => {
          let v = 0;
          for (let j = 0; j < w; j++) v = v * 256 + data[p++];
          return v;
        };
        const type = widths[0] === 0 ? 1 : field(widths[0]);
        const a = field(widths[1]);
        const b = field(widths[2]);
        const num = index[i] + k;
        if (type === 1) entries.set(num, { type: 'offset', offset: a, gen: b });
        else if (type === 2) entries.set(num, { type: 'compressed', stream: a, index: b });
        else entries.set(num, { type: 'free' });
      }
    }
    return entries;
  }

  /** num → offset of the last `num gen obj` header in the file (built once, only when needed). */
  private scanIndex(): Map<number, number> {
    if (this.scanned) return this.scanned;
    const index = new Map<number, number>();
    const text = latin1(this.bytes);
    const re = /(?<![0-9])(\d{1,10})[\0\t\n\f\r ]+(\d{1,5})[\0\t\n\f\r ]+obj\b/g;
    let at = text.indexOf('obj', 0, 'latin1');
    while (at !== -1) {
      const from = Math.max(0, at - 24);
      re.lastIndex = 0;
      const window = text.toString('latin1', from, at + 4);
      for (let m = re.exec(window); m; m = re.exec(window)) index.set(Number(m[1]), from + m.index);
      at = text.indexOf('obj', at + 3, 'latin1');
    }
    this.scanned = index;
    return index;
  }

  /** One section made by scanning the whole file, for files whose cross-reference data is unusable. */
  private rebuild(): XrefSection {
    const entries = new Map<number, XrefEntry>();
    for (const [num, offset] of this.scanIndex()) entries.set(num, { type: 'offset', offset, gen: 0 });
    const section: XrefSection = { offset: 0, entries, trailer: new Map(), kind: 'rebuilt' };
    const view = new PdfView(this, entries, section.trailer);
    for (const num of entries.keys()) {
      const value = view.get(num);
      const dict = value instanceof PdfStream ? value.dict : value;
      if (!isDict(dict)) continue;
      if (nameOf(dict.get('Type')) === 'Catalog') section.trailer.set('Root', new PdfRef(num, 0));
      const entry = entries.get(num);
      if (value instanceof PdfStream && nameOf(dict.get('Type')) === 'ObjStm' && entry?.type === 'offset') {
        try {
          // The object numbers come from the stream's header.
          const parsed = this.objectStream(entry.offset, num, view);
          const header = new PdfParser(parsed.data);
          for (let j = 0; j < parsed.offsets.length; j++) {
            const objNum = header.readInt();
            header.readInt();
            if (objNum !== undefined && !entries.has(objNum)) entries.set(objNum, { type: 'compressed', stream: num, index: j });
          }
        } catch {
          // A broken object stream: its objects stay unknown.
        }
      }
    }
    return section;
  }
}

/** The objects of one revision. */
export class PdfView {
  /** Memo of what is computed from this revision (roles, DSS), keyed by the computing module. */
  readonly memo = new Map<string, unknown>();

  constructor(
    readonly file: PdfFile,
    readonly entries: Map<number, XrefEntry>,
    readonly trailer: PdfDict,
  ) {}

  get(num: number): PdfValue | undefined {
    const entry = this.entries.get(num);
    return entry ? this.file.readEntry(num, entry, this) : undefined;
  }

  /** Follows references (a few levels) to a direct value. */
  resolve(value: PdfValue | undefined): PdfValue | undefined {
    for (let i = 0; i < 8 && value instanceof PdfRef; i++) value = this.get(value.num);
    return value instanceof PdfRef ? undefined : value;
  }

  dict(value: PdfValue | undefined): PdfDict | undefined {
    const v = this.resolve(value);
    if (v instanceof PdfStream) return v.dict;
    return isDict(v) ? v : undefined;
  }

  array(value: PdfValue | undefined): PdfValue[] {
    const v = this.resolve(value);
    return Array.isArray(v) ? v : [];
  }

  get root(): PdfDict | undefined {
    return this.dict(this.trailer.get('Root'));
  }
}

/** The decoded data of a stream (FlateDecode with PNG predictors, ASCIIHexDecode, or none). */
export function decodeStream(stream: PdfStream, view: PdfView | undefined): Uint8Array {
  const resolve = (v: PdfValue | undefined) => (view ? view.resolve(v) : v);
  const filterValue = resolve(stream.dict.get('Filter'));
  const filters = (Array.isArray(filterValue) ? filterValue : filterValue ? [filterValue] : []).map((f) => nameOf(resolve(f)));
  const parmsValue = resolve(stream.dict.get('DecodeParms'));
  const parms = Array.isArray(parmsValue) ? parmsValue.map(resolve) : [parmsValue];
  let data = stream.raw;
  filters.forEach((filter, i) => {
    if (filter === 'FlateDecode' || filter === 'Fl') {
      data = inflateSync(data, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
      const p = parms[i];
      if (isDict(p)) data = unpredict(data, p);
    } else if (filter === 'ASCIIHexDecode' || filter === 'AHx') {
      const hexDigits = Buffer.from(data).toString('latin1').replace(/>.*$/s, '').replace(/[^0-9a-fA-F]/g, '');
      data = Buffer.from(hexDigits.length % 2 ? `${hexDigits}0` : hexDigits, 'hex');
    } else throw new PdfSyntaxError(`unsupported filter ${filter}`);
  });
  return data;
}

function unpredict(data: Uint8Array, parms: PdfDict): Uint8Array {
  const predictor = Number(parms.get('Predictor') ?? 1);
  if (predictor < 10) return data;
  const colors = Number(parms.get('Colors') ?? 1);
  const bits = Number(parms.get('BitsPerComponent') ?? 8);
  const columns = Number(parms.get('Columns') ?? 1);
  const bpp = Math.max(1, Math.ceil((colors * bits) / 8));
  const rowLength = Math.ceil((colors * bits * columns) / 8);
  const rows = Math.floor(data.length / (rowLength + 1));
  const out = new Uint8Array(rows * rowLength);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLength + 1)];
    const src = r * (rowLength + 1) + 1;
    const dst = r * rowLength;
    for (let i = 0; i < rowLength; i++) {
      const left = i >= bpp ? out[dst + i - bpp] : 0;
      const up = r > 0 ? out[dst - rowLength + i] : 0;
      const upLeft = r > 0 && i >= bpp ? out[dst - rowLength + i - bpp] : 0;
      let add = 0;
      if (type === 1) add = left;
      else if (type === 2) add = up;
      else if (type === 3) add = (left + up) >> 1;
      else if (type === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        add = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      out[dst + i] = (data[src + i] + add) & 0xff;
    }
  }
  return out;
}
