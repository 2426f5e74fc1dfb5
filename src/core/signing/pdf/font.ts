import zlib from 'node:zlib';
import { create, type Font } from 'fontkit';
import { PDFHexString, type PDFRef, PDFString } from 'pdf-lib';
import { drawableText, fontBytes } from '../../pdf/index.js';
import { type IncrementalPdf } from './incremental.js';

/**
 * Tinos (core/pdf's Times-New-Roman-metric font with Vietnamese glyphs) embedded as a subset for
 * signature appearances and filled form fields: Type0 / CIDFontType2, Identity-H, one CID per
 * glyph, with a ToUnicode map so the text stays searchable.
 *
 * Not pdf-lib's embedFont: it shapes every string with fontkit's layout engine (~10 ms per
 * signature) and, when the parsed font is kept between documents, fontkit's shared glyph objects
 * carry the code points of their first use into later ToUnicode maps ("điện" extracted as "đ ện").
 * Here characters map to glyphs through the cmap only (Vietnamese letters are precomposed in NFC);
 * CIDs are the font's glyph ids, mapped to the subset's by a CIDToGIDMap, so the subset program
 * depends only on the set of glyphs and is reused across signatures.
 */
let parsed: Font | null = null;
const tinos = () => (parsed ??= create(fontBytes('regular')) as Font);

const perDocument = new WeakMap<IncrementalPdf, TinosSubset>();

/** The document's Tinos subset (one per update, shared by every text drawn in it). */
export function tinosFor(update: IncrementalPdf): TinosSubset {
  let font = perDocument.get(update);
  if (!font) {
    font = new TinosSubset(update);
    perDocument.set(update, font);
  }
  return font;
}

/** Always in the subset, so that one signer's lines (only the digits of the time change) hit the cache. */
const ALWAYS = '0123456789 +-:./T';

type Program = { fontFile: Buffer; length1: number; cidToGid: Buffer; tag: string };

/** Subset programs by glyph set: a font subset costs ~5 ms to build, signers repeat their lines. */
const programs = new Map<string, Program>();

export class TinosSubset {
  readonly ref: PDFRef;
  private readonly font = tinos();
  /** glyph id (= CID) → the text it stands for (ToUnicode) */
  private readonly used = new Map<number, string>();

  constructor(private readonly update: IncrementalPdf) {
    this.ref = update.context.nextRef();
    update.beforeSave(() => this.embed());
  }

  private glyph(ch: string) {
    return this.font.glyphForCodePoint(ch.codePointAt(0)!);
  }

  /** Width in points of `text` (after drawableText) at `size`. */
  widthOfTextAtSize(text: string, size: number): number {
    let units = 0;
    for (const ch of drawableText(text)) units += this.glyph(ch).advanceWidth;
    return (units * size) / this.font.unitsPerEm;
  }

  /** The hex string of CIDs (the font's glyph ids) for a Tj operator; the glyphs join the subset. */
  encodeText(text: string): PDFHexString {
    let hex = '';
    for (const ch of drawableText(text)) {
      const { id } = this.glyph(ch);
      if (!this.used.has(id)) this.used.set(id, ch);
      hex += id.toString(16).padStart(4, '0');
    }
    return PDFHexString.of(hex);
  }

  private program(gids: number[]): Program {
    const key = gids.join(',');
    let program = programs.get(key);
    if (!program) {
      // fontkit's Subset.includeGlyph takes a glyph or its id and returns the new id (typed as boolean).
      const subset = this.font.createSubset() as unknown as { includeGlyph(gid: number): number; encode(): Uint8Array };
      const cidToGid = Buffer.alloc(2 * (gids[gids.length - 1] + 1));
      for (const gid of gids) cidToGid.writeUInt16BE(subset.includeGlyph(gid), 2 * gid);
      const bytes = Buffer.from(subset.encode());
      program = { fontFile: zlib.deflateSync(bytes), length1: bytes.length, cidToGid: zlib.deflateSync(cidToGid), tag: subsetTag(gids) };
      if (programs.size >= 64) programs.delete(programs.keys().next().value!);
      programs.set(key, program);
    }
    return program;
  }

  private embed(): void {
    const { context } = this.update;
    const font = this.font;
    for (const ch of ALWAYS) if (!this.used.has(this.glyph(ch).id)) this.used.set(this.glyph(ch).id, ch);
    const gids = [...this.used.keys()].sort((a, b) => a - b);
    const program = this.program(gids);
    const scale = 1000 / font.unitsPerEm;
    const name = `${program.tag}+${font.postscriptName}`;
    const descriptor = context.obj({
      Type: 'FontDescriptor',
      FontName: name,
      Flags: 34, // serif, non-symbolic
      FontBBox: [font.bbox.minX, font.bbox.minY, font.bbox.maxX, font.bbox.maxY].map((v) => Math.round(v * scale)),
      ItalicAngle: 0,
      Ascent: Math.round(font.ascent * scale),
      Descent: Math.round(font.descent * scale),
      CapHeight: Math.round((font.capHeight || font.ascent) * scale),
      StemV: 80,
      FontFile2: context.register(context.stream(program.fontFile, { Filter: 'FlateDecode', Length1: program.length1 })),
    });
    const widths = gids.flatMap((gid) => [gid, [Math.round(font.getGlyph(gid).advanceWidth * scale)]]);
    const cidFont = context.obj({
      Type: 'Font',
      Subtype: 'CIDFontType2',
      BaseFont: name,
      CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
      FontDescriptor: context.register(descriptor),
      W: widths,
      CIDToGIDMap: context.register(context.stream(program.cidToGid, { Filter: 'FlateDecode' })),
    });
    const cmap = zlib.deflateSync(toUnicodeCMap(gids.map((gid) => ({ cid: gid, text: this.used.get(gid)! }))));
    const type0 = context.obj({
      Type: 'Font',
      Subtype: 'Type0',
      BaseFont: name,
      Encoding: 'Identity-H',
      DescendantFonts: [context.register(cidFont)],
      ToUnicode: context.register(context.stream(cmap, { Filter: 'FlateDecode' })),
    });
    context.assign(this.ref, type0);
  }
}

/** Six capital letters derived from the glyph set (ISO 32000-1 §9.6.4). */
function subsetTag(gids: number[]): string {
  let h = 2166136261;
  for (const g of gids) h = Math.imul(h ^ g, 16777619) >>> 0;
  let tag = '';
  for (let i = 0; i < 6; i++) {
    tag += String.fromCharCode(65 + (h % 26));
    h = Math.floor(h / 26) + i * 7919;
  }
  return tag;
}

function toUnicodeCMap(entries: { cid: number; text: string }[]): string {
  const hex4 = (n: number) => n.toString(16).padStart(4, '0');
  const utf16 = (s: string) => Buffer.from(s, 'utf16le').swap16().toString('hex');
  const lines: string[] = [];
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100);
    lines.push(`${chunk.length} beginbfchar`, ...chunk.map((e) => `<${hex4(e.cid)}> <${utf16(e.text)}>`), 'endbfchar');
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <ffff>',
    'endcodespacerange',
    ...lines,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}
