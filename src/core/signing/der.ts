/**
 * Minimal DER writer for the structures the engine assembles on every signature (signed
 * attributes, SignedData): byte concatenation, no ASN.1 object trees — asn1js parsing and
 * re-encoding certificates cost ~8 ms per signature. Values from elsewhere (certificates, names,
 * tokens) are inserted as the DER bytes they already are.
 */
export function length(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(content);
  return Buffer.concat([Uint8Array.of(tag), length(body.length), body]);
}

export const sequence = (...content: Uint8Array[]) => tlv(0x30, ...content);
export const octetString = (bytes: Uint8Array) => tlv(0x04, bytes);
export const nullValue = () => Uint8Array.of(0x05, 0x00);
/** [n] constructed (EXPLICIT, or IMPLICIT over a constructed type). */
export const contextTag = (n: number, ...content: Uint8Array[]) => tlv(0xa0 | n, ...content);

/** SET OF in DER order: elements sorted by their encodings (X.690 §11.6). */
export function setOf(elements: Uint8Array[], tag = 0x31): Uint8Array {
  const sorted = [...elements].sort((a, b) => Buffer.compare(a, b));
  return tlv(tag, ...sorted);
}

export function integer(value: number): Uint8Array {
  const bytes: number[] = [];
  let v = value;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if (bytes[0] & 0x80) bytes.unshift(0);
  return tlv(0x02, Uint8Array.from(bytes));
}

export function oid(dotted: string): Uint8Array {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [40 * parts[0] + parts[1]];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    for (let v = Math.floor(part / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(out));
}

/** Header length and content of the DER value at the start of `bytes`. */
export function readTlv(bytes: Uint8Array, at = 0): { tag: number; header: number; length: number; end: number } {
  const tag = bytes[at];
  let len = bytes[at + 1];
  let header = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error('DER: unsupported length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[at + 2 + i];
    header += n;
  }
  return { tag, header, length: len, end: at + header + len };
}

/** The children of the constructed DER value at `at` (their offsets in `bytes`). */
export function children(bytes: Uint8Array, at = 0): { at: number; tag: number; end: number }[] {
  const outer = readTlv(bytes, at);
  const out: { at: number; tag: number; end: number }[] = [];
  for (let p = at + outer.header; p < outer.end; ) {
    const child = readTlv(bytes, p);
    out.push({ at: p, tag: child.tag, end: child.end });
    p = child.end;
  }
  return out;
}
