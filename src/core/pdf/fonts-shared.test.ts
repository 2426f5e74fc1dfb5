import { PDFDict, PDFDocument, PDFName, type PDFRawStream, type PDFRef, decodePDFRawStream } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { renderTextPagePdf } from './index.js';

/**
 * Documents share the parsed font (fonts.ts). fontkit remembers the code points a glyph was first made
 * with: an accented capital is drawn from its base letter's outline, so a first document with "Ủ" and "Ò"
 * makes "U" and "O" without code points, and a later document sharing that glyph cache lost "U" and "O"
 * from its text layer (ToUnicode): "HOÀN" read back as "HÀN". A file of its own: the cache must be new.
 */

/** Every character the document's fonts map back to text. */
async function textLayer(pdf: Buffer): Promise<Set<string>> {
  const doc = await PDFDocument.load(pdf);
  const out = new Set<string>();
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict) || obj.get(PDFName.of('Subtype'))?.toString() !== '/Type0') continue;
    const cmap = Buffer.from(decodePDFRawStream(doc.context.lookup(obj.get(PDFName.of('ToUnicode')) as PDFRef) as PDFRawStream).decode()).toString('latin1');
    for (const [, , hex] of cmap.matchAll(/<([0-9a-f]{4})> <([0-9a-f]+)>/gi)) out.add(Buffer.from(hex, 'hex').swap16().toString('utf16le'));
  }
  return out;
}

describe('fonts shared between documents', () => {
  it('keep every letter in the text layer of the documents made after, one by one and at once', async () => {
    const first = await renderTextPagePdf({ lines: [{ text: 'ỦY BAN NHÂN DÂN TỈNH THÁI HÒA', bold: true }, { text: 'ỦY BAN NHÂN DÂN TỈNH THÁI HÒA' }] });
    expect(await textLayer(first)).not.toContain('O');
    const [later, other] = await Promise.all([
      renderTextPagePdf({ lines: [{ text: 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ', bold: true }, { text: 'HOA UNO' }] }),
      renderTextPagePdf({ lines: [{ text: 'ÔNG BÀ ÒA UỶ', bold: true }, { text: 'ÒA OA U' }] }),
    ]);
    for (const ch of 'PHIẾUYÊCẦBỔSNGOÀTỆỒƠA') expect(await textLayer(later), `"${ch}"`).toContain(ch);
    for (const ch of 'ÔNGBÀÒOAUỶ') expect(await textLayer(other), `"${ch}"`).toContain(ch);
  });
});
