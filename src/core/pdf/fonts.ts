import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { type Font, type Subset, create } from 'fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';

/**
 * Tinos: metrically compatible with Times New Roman (the font of Vietnamese official documents,
 * Nghị định 30/2020/NĐ-CP) and complete for Vietnamese. The TTF files come through npm
 * (@expo-google-fonts/tinos ships Google Fonts' full TTF; @fontsource only ships per-script WOFF
 * slices), so a fresh machine with Node and npm has them; nothing is read from /usr/share/fonts.
 * Fonts are embedded as subsets: a page of text adds ~10 KB, not the 500 KB of the whole font.
 *
 * The subsetting is upstream fontkit 2's, not @pdf-lib/fontkit's: that fork (1.1.1, unmaintained)
 * writes the subset's `loca` table in the short format without padding the glyph records, so every
 * glyph after the first odd-length one is garbage — Vietnamese text came out mostly blank in pdf.js
 * (foliojs/fontkit#191, fixed upstream in 1.8). pdf-lib accepts any `create()`-shaped fontkit; the
 * only gap is that it reads the subset through the old `encodeStream()`, adapted below.
 */
export type FontWeight = 'regular' | 'bold';

const FILES: Record<FontWeight, string> = {
  regular: '@expo-google-fonts/tinos/400Regular/Tinos_400Regular.ttf',
  bold: '@expo-google-fonts/tinos/700Bold/Tinos_700Bold.ttf',
};

const require = createRequire(import.meta.url);
const bytesCache = new Map<FontWeight, Buffer>();
const parsedCache = new Map<FontWeight, Font>();

/** The TTF bytes of the weight (read once per process). */
export function fontBytes(weight: FontWeight): Buffer {
  let bytes = bytesCache.get(weight);
  if (!bytes) {
    bytes = fs.readFileSync(require.resolve(FILES[weight]));
    bytesCache.set(weight, bytes);
  }
  return bytes;
}

function parsedFont(weight: FontWeight): Font {
  let font = parsedCache.get(weight);
  if (!font) {
    font = create(fontBytes(weight)) as Font;
    parsedCache.set(weight, font);
  }
  return font;
}

export type DocFonts = { regular: PDFFont; bold: PDFFont };

type LegacySubset = Subset & { encodeStream(): Readable };
type PdfLibFontkit = Parameters<PDFDocument['registerFontkit']>[0];

/**
 * Parsed fonts by the bytes they came from (`fontBytes` keeps one Buffer per weight). Parsing a TTF's
 * tables cost half of the CPU of a one-page form (≈60 of 130 ms, for two weights), on every PDF. A
 * document gets a view of the parsed font with its own glyph cache: fontkit remembers the code points a
 * glyph was first made with, and a glyph first made without them (a component of an accented letter)
 * would drop that letter from the next document's ToUnicode map — its text layer. The parsed tables
 * are only read after parsing, and fontkit runs synchronously, so the views can share them.
 */
const parsedByBytes = new WeakMap<Uint8Array, Font>();

function fontView(data: Uint8Array, postscriptName?: string): Font {
  if (postscriptName !== undefined) return create(Buffer.from(data.buffer, data.byteOffset, data.byteLength), postscriptName) as Font;
  let parsed = parsedByBytes.get(data);
  if (!parsed) {
    parsed = create(Buffer.from(data.buffer, data.byteOffset, data.byteLength)) as Font;
    parsedByBytes.set(data, parsed);
  }
  return Object.assign(Object.create(parsed) as Font, { _glyphs: {} });
}

/** Upstream fontkit, shaped like the fontkit pdf-lib was written for. */
export const pdfFontkit = {
  create(data: Uint8Array, postscriptName?: string) {
    const font = fontView(data, postscriptName);
    const createSubset = font.createSubset.bind(font);
    return Object.assign(font, {
      createSubset(): LegacySubset {
        const subset = createSubset();
        return Object.assign(subset, { encodeStream: () => Readable.from([Buffer.from(subset.encode())]) });
      },
    });
  },
} as unknown as PdfLibFontkit;

/** Embeds regular and bold (subset) into the document. */
export async function embedFonts(doc: PDFDocument): Promise<DocFonts> {
  doc.registerFontkit(pdfFontkit);
  const [regular, bold] = await Promise.all([
    doc.embedFont(fontBytes('regular'), { subset: true }),
    doc.embedFont(fontBytes('bold'), { subset: true }),
  ]);
  return { regular, bold };
}

/** Characters of `text` (after NFC) that the font cannot draw; line breaks and tabs are ignored. */
export function missingGlyphs(text: string, weight: FontWeight = 'regular'): string[] {
  const font = parsedFont(weight);
  const missing = new Set<string>();
  for (const ch of text.normalize('NFC')) {
    if (ch === '\n' || ch === '\r' || ch === '\t') continue;
    if (!font.hasGlyphForCodePoint(ch.codePointAt(0)!)) missing.add(ch);
  }
  return [...missing];
}

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/g; // eslint-disable-line no-control-regex

/**
 * Text ready to draw: NFC (precomposed Vietnamese letters, so diacritics sit where the font designer
 * put them; pdf-lib does not position combining marks), tabs as spaces, invisible controls removed,
 * and characters the font lacks (emoji, CJK) shown as '?' instead of an empty box.
 */
export function drawableText(text: string, weight: FontWeight = 'regular'): string {
  const font = parsedFont(weight);
  let out = '';
  for (const ch of text.normalize('NFC').replace(/\t/g, ' ').replace(CONTROL, '')) {
    out += ch === '\n' || font.hasGlyphForCodePoint(ch.codePointAt(0)!) ? ch : '?';
  }
  return out;
}
