/**
 * A small reader of PDF syntax (ISO 32000-1 §7.2–7.3): tokens and objects straight from the file
 * bytes, with the byte offsets the validator needs (where /Contents sits, where a stream's data starts).
 * It never copies the file: strings are decoded into small arrays, streams are offsets into the bytes.
 */

export class PdfName {
  constructor(readonly name: string) {}
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
  toString(): string {
    return `${this.num} ${this.gen} R`;
  }
}

export class PdfString {
  constructor(
    readonly bytes: Uint8Array,
    readonly hex: boolean,
    /** Offsets of the token (from `(`/`<` to after `)`/`>`) in the buffer it was read from. */
    readonly start: number,
    readonly end: number,
  ) {}
}

export type PdfDict = Map<string, PdfValue>;

export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    /** The raw (encoded) data: `source.subarray(start, end)`. */
    readonly source: Uint8Array,
    readonly start: number,
    readonly end: number,
  ) {}
  get raw(): Uint8Array {
    return this.source.subarray(this.start, this.end);
  }
}

export type PdfValue = null | boolean | number | PdfName | PdfRef | PdfString | PdfValue[] | PdfDict | PdfStream;

export class PdfSyntaxError extends Error {}

const WHITESPACE = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WHITESPACE[c] = 1;
const DELIMITER = new Uint8Array(256);
for (const c of '()<>[]{}/%') DELIMITER[c.charCodeAt(0)] = 1;

export const isWhitespace = (c: number): boolean => WHITESPACE[c] === 1;
const isRegular = (c: number): boolean => WHITESPACE[c] === 0 && DELIMITER[c] === 0;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Resolves an indirect /Length while a stream is being read (may return undefined when unknown). */
export type LengthResolver = (ref: PdfRef) => number | undefined;

const LATIN1 = new TextDecoder('latin1');

export class PdfParser {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    private readonly resolveLength?: LengthResolver,
  ) {
    this.pos = start;
  }

  skipWhitespace(): void {
    const { buf } = this;
    while (this.pos < buf.length) {
      const c = buf[this.pos];
      if (WHITESPACE[c]) this.pos++;
      else if (c === 37 /* % */) {
        while (this.pos < buf.length && buf[this.pos] !== 10 && buf[this.pos] !== 13) this.pos++;
      } else break;
    }
  }

  /** A regular token (keyword or number) at the current position, without consuming it. */
  peekKeyword(): string {
    this.skipWhitespace();
    let end = this.pos;
    while (end < this.buf.length && isRegular(this.buf[end])) end++;
    return LATIN1.decode(this.buf.subarray(this.pos, end));
  }

  readKeyword(): string {
    const word = this.peekKeyword();
    this.pos += word.length;
    return word;
  }

  /** An unsigned integer, or undefined (position unchanged) when there is none. */
  readInt(): number | undefined {
    this.skipWhitespace();
    let p = this.pos;
    let n = 0;
    while (p < this.buf.length && isDigit(this.buf[p])) n = n * 10 + this.buf[p++] - 48;
    if (p === this.pos || (p < this.buf.length && isRegular(this.buf[p]))) return undefined;
    this.pos = p;
    return n;
  }

  /** `num gen obj` at the current position: the object number and generation, or undefined. */
  readObjectHeader(): { num: number; gen: number } | undefined {
    const save = this.pos;
    const num = this.readInt();
    const gen = num === undefined ? undefined : this.readInt();
    if (num !== undefined && gen !== undefined && this.readKeyword() === 'obj') return { num, gen };
    this.pos = save;
    return undefined;
  }

  readValue(depth = 0): PdfValue {
    if (depth > 100) throw new PdfSyntaxError('objects nested too deeply');
    this.skipWhitespace();
    const { buf } = this;
    if (this.pos >= buf.length) throw new PdfSyntaxError('unexpected end of file');
    const c = buf[this.pos];
    if (c === 47 /* / */) return this.readName();
    if (c === 40 /* ( */) return this.readLiteralString();
    if (c === 91 /* [ */) {
      this.pos++;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipWhitespace();
        if (this.pos >= buf.length) throw new PdfSyntaxError('unterminated array');
        if (buf[this.pos] === 93 /* ] */) {
          this.pos++;
          return items;
        }
        items.push(this.readValue(depth + 1));
      }
    }
    if (c === 60 /* < */) {
      if (buf[this.pos + 1] === 60) return this.readDictOrStream(depth);
      return this.readHexString();
    }
    if (isDigit(c) || c === 43 || c === 45 || c === 46) return this.readNumberOrRef();
    const word = this.readKeyword();
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    throw new PdfSyntaxError(`unexpected ${word ? `keyword "${word.slice(0, 20)}"` : `byte ${c}`} at ${this.pos}`);
  }

  private readNumberOrRef(): number | PdfRef {
    const start = this.pos;
    const word = this.readKeyword();
    const value = Number(word);
    if (!Number.isFinite(value)) {
      // Lenient like most readers: "--5" or "1.2.3" count as 0.
      if (!/^[+\-.\d]+$/.test(word)) throw new PdfSyntaxError(`bad number at ${start}`);
      return 0;
    }
    if (!/^\d+$/.test(word)) return value;
    const after = this.pos;
    const gen = this.readInt();
    if (gen !== undefined && this.peekKeyword() === 'R') {
      this.pos++;
      this.skipWhitespace();
      return new PdfRef(value, gen);
    }
    this.pos = after;
    return value;
  }

  private readName(): PdfName {
    const { buf } = this;
    let p = ++this.pos;
    const bytes: number[] = [];
    while (p < buf.length && isRegular(buf[p])) {
      if (buf[p] === 35 /* # */ && p + 2 < buf.length) {
        const code = parseInt(String.fromCharCode(buf[p + 1], buf[p + 2]), 16);
        if (!Number.isNaN(code)) {
          bytes.push(code);
          p += 3;
          continue;
        }
      }
      bytes.push(buf[p++]);
    }
    this.pos = p;
    return new PdfName(Buffer.from(bytes).toString('utf8'));
  }

  private readLiteralString(): PdfString {
    const { buf } = this;
    const start = this.pos;
    let p = start + 1;
    let nesting = 1;
    const out: number[] = [];
    while (p < buf.length) {
      const c = buf[p++];
      if (c === 92 /* \ */) {
        const e = buf[p++];
        if (e === 110) out.push(10);
        else if (e === 114) out.push(13);
        else if (e === 116) out.push(9);
        else if (e === 98) out.push(8);
        else if (e === 102) out.push(12);
        else if (e === 13) {
          if (buf[p] === 10) p++;
        } else if (e === 10) {
          // line continuation
        } else if (e >= 48 && e <= 55) {
          let code = e - 48;
          for (let i = 0; i < 2 && buf[p] >= 48 && buf[p] <= 55; i++) code = code * 8 + buf[p++] - 48;
          out.push(code & 0xff);
        } else if (e !== undefined) out.push(e);
      } else if (c === 40) {
        nesting++;
        out.push(c);
      } else if (c === 41) {
        if (--nesting === 0) {
          this.pos = p;
          return new PdfString(Uint8Array.from(out), false, start, p);
        }
        out.push(c);
      } else out.push(c);
    }
    throw new PdfSyntaxError(`unterminated string at ${start}`);
  }

  private readHexString(): PdfString {
    const { buf } = this;
    const start = this.pos;
    const end = buf.indexOf(62 /* > */, start + 1);
    if (end === -1) throw new PdfSyntaxError(`unterminated hex string at ${start}`);
    let digits = LATIN1.decode(buf.subarray(start + 1, end)).replace(/[\0\t\n\f\r ]/g, '');
    if (!/^[0-9a-fA-F]*$/.test(digits)) throw new PdfSyntaxError(`bad hex string at ${start}`);
    if (digits.length % 2) digits += '0';
    this.pos = end + 1;
    return new PdfString(new Uint8Array(Buffer.from(digits, 'hex')), true, start, end + 1);
  }

  private readDictOrStream(depth: number): PdfDict | PdfStream {
    const { buf } = this;
    this.pos += 2;
    const dict: PdfDict = new Map();
    for (;;) {
      this.skipWhitespace();
      if (this.pos >= buf.length) throw new PdfSyntaxError('unterminated dictionary');
      if (buf[this.pos] === 62 && buf[this.pos + 1] === 62) {
        this.pos += 2;
        break;
      }
      const key = this.readValue(depth + 1);
      if (!(key instanceof PdfName)) throw new PdfSyntaxError(`dictionary key is not a name at ${this.pos}`);
      this.skipWhitespace();
      if (buf[this.pos] === 62 && buf[this.pos + 1] === 62) {
        dict.set(key.name, null);
        continue;
      }
      dict.set(key.name, this.readValue(depth + 1));
    }
    const afterDict = this.pos;
    if (this.peekKeyword() !== 'stream') {
      this.pos = afterDict;
      return dict;
    }
    this.pos += 6;
    if (buf[this.pos] === 13) this.pos++;
    if (buf[this.pos] === 10) this.pos++;
    const start = this.pos;
    let end = -1;
    const lengthValue = dict.get('Length');
    const length = typeof lengthValue === 'number' ? lengthValue : lengthValue instanceof PdfRef ? this.resolveLength?.(lengthValue) : undefined;
    if (length !== undefined && length >= 0 && start + length <= buf.length && this.endstreamAt(start + length)) end = start + length;
    if (end === -1) {
      // Wrong or unknown /Length: the data ends before the next "endstream" (minus its end of line).
      const found = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).indexOf('endstream', start, 'latin1');
      if (found === -1) throw new PdfSyntaxError(`stream without endstream at ${start}`);
      end = found;
      if (buf[end - 1] === 10) end--;
      if (buf[end - 1] === 13) end--;
    }
    this.pos = end;
    this.skipWhitespace();
    this.pos += 'endstream'.length;
    return new PdfStream(dict, buf, start, end);
  }

  private endstreamAt(p: number): boolean {
    const save = this.pos;
    this.pos = p;
    const ok = this.peekKeyword() === 'endstream';
    this.pos = save;
    return ok;
  }
}

// ---- helpers on values ----

export const isDict = (v: PdfValue | undefined): v is PdfDict => v instanceof Map;
export const nameOf = (v: PdfValue | undefined): string | undefined => (v instanceof PdfName ? v.name : undefined);

/** PDFDocEncoding bytes 0x80–0xA0 (ISO 32000-1 Annex D); the rest agrees with Latin-1. */
const PDF_DOC_HIGH = '•†‡…—–ƒ⁄‹›−‰„“”‘’‚™ﬁﬂŁŒŠŸŽıłœšž\ufffd€';

/** A PDF text string (UTF-16BE with BOM, UTF-8 with BOM, or PDFDocEncoding) as NFC text. */
export function decodeTextString(s: PdfString): string {
  const b = s.bytes;
  let text: string;
  if (b[0] === 0xfe && b[1] === 0xff) {
    const swapped = Buffer.from(b.subarray(2, 2 + ((b.length - 2) & ~1)));
    swapped.swap16();
    text = swapped.toString('utf16le');
  } else if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) text = Buffer.from(b.subarray(3)).toString('utf8');
  else text = Array.from(b, (c) => (c >= 0x80 && c <= 0xa0 ? PDF_DOC_HIGH[c - 0x80] ?? '\ufffd' : String.fromCharCode(c))).join('');
  return text.normalize('NFC');
}

/** D:YYYYMMDDHHmmSSOHH'mm' (every part after the year optional) → Date, or null when unreadable. */
export function parsePdfDate(s: string): Date | null {
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*([Zz+-])?\s*(\d{2})?'?\s*(\d{2})?'?/.exec(s.trim());
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', sec = '00', sign, oh = '00', om = '00'] = m;
  const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec);
  const offset = sign === '+' || sign === '-' ? (sign === '-' ? -1 : 1) * (+oh * 60 + +om) : 0;
  const date = new Date(utc - offset * 60_000);
  return Number.isNaN(date.getTime()) ? null : date;
}
