import { describe, expect, it } from 'vitest';
import { PdfFile } from './pdf-file.js';
import { decodeTextString, parsePdfDate, type PdfName, PdfParser, PdfRef, type PdfStream, PdfString } from './pdf-syntax.js';
import { collectRoles } from './roles.js';
import { addAnnotation, basePdf, replacePageContent } from './testing/pdf-edits.js';

/** The PDF reader under the validator: syntax, cross-reference tables and streams, revisions, repair. */

const parse = (text: string) => new PdfParser(Buffer.from(text, 'latin1')).readValue();

describe('PDF syntax', () => {
  it('reads dictionaries, arrays, references, names with #xx, numbers and keywords', () => {
    const value = parse('<< /Type /Sig /A#20B 1 /N -2.5 /R 12 0 R /L [1 2 0 R true null] /Empty <<>> >>') as Map<string, unknown>;
    expect((value.get('Type') as PdfName).name).toBe('Sig');
    expect(value.get('A B')).toBe(1);
    expect(value.get('N')).toBe(-2.5);
    expect(value.get('R')).toEqual(new PdfRef(12, 0));
    expect(value.get('L')).toEqual([1, new PdfRef(2, 0), true, null]);
    expect(value.get('Empty')).toEqual(new Map());
  });

  it('reads literal strings with escapes and nested parentheses, and hex strings with an odd digit count', () => {
    const literal = parse('(a\\(b\\) (nested) \\101\\n\\\nend)') as PdfString;
    expect(Buffer.from(literal.bytes).toString('latin1')).toBe('a(b) (nested) A\nend');
    const hex = parse('<48 65 6c6c 6f 7>') as PdfString;
    expect(Buffer.from(hex.bytes).toString('latin1')).toBe('Hello\u0070');
    expect([hex.start, hex.end, hex.hex]).toEqual([0, 17, true]);
  });

  it('decodes text strings: UTF-16BE with BOM, UTF-8 with BOM and PDFDocEncoding', () => {
    const utf16 = Buffer.from('\ufeffNguyễn Văn Ánh', 'utf16le').swap16();
    expect(decodeTextString(new PdfString(utf16, true, 0, 0))).toBe('Nguyễn Văn Ánh');
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Ký duyệt')]);
    expect(decodeTextString(new PdfString(utf8, true, 0, 0))).toBe('Ký duyệt');
    expect(decodeTextString(new PdfString(Uint8Array.from([0x80, 0x20, 0x93, 0xe9, 0xa0]), false, 0, 0))).toBe('• ﬁé€');
  });

  it('reads PDF dates with and without a time zone', () => {
    expect(parsePdfDate("D:20260305143000+07'00'")?.toISOString()).toBe('2026-03-05T07:30:00.000Z');
    expect(parsePdfDate('D:20260305143000Z')?.toISOString()).toBe('2026-03-05T14:30:00.000Z');
    expect(parsePdfDate("D:20260305143000-05'30")?.toISOString()).toBe('2026-03-05T20:00:00.000Z');
    expect(parsePdfDate('D:2026')?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(parsePdfDate('yesterday')).toBeNull();
  });

  it('reads a stream whose /Length is wrong by looking for endstream', () => {
    const value = new PdfParser(Buffer.from('<< /Length 99 >>\nstream\nabc\nendstream', 'latin1')).readValue() as PdfStream;
    expect(Buffer.from(value.raw).toString('latin1')).toBe('abc');
  });
});

describe('PDF file structure', () => {
  it('reads a classic cross-reference table and one with object streams (xref stream, PNG predictor)', async () => {
    for (const xrefStream of [false, true]) {
      const file = new PdfFile(await basePdf({ xrefStream, pages: 3 }));
      expect(file.sections).toHaveLength(1);
      expect(file.sections[0].kind).toBe(xrefStream ? 'stream' : 'table');
      const roles = collectRoles(file.view());
      expect(roles.pages.size).toBe(3);
      expect([...roles.pages.values()]).toEqual([1, 2, 3]);
    }
  });

  it('keeps every revision of incremental updates and shows the document as it was at each', async () => {
    const original = await basePdf();
    const edited = replacePageContent(original, 'BT ET');
    const file = new PdfFile(addAnnotation(edited, 'note'));
    expect(file.sections.map((s) => s.kind)).toEqual(['table', 'table', 'table']);
    const pageNum = [...collectRoles(file.view()).pages.keys()][0];
    const contentsAt = (end: number) => file.view(end).dict(file.view(end).get(pageNum))?.get('Contents');
    expect(contentsAt(original.length)).not.toEqual(contentsAt(edited.length));
    const annots = (end?: number) => {
      const view = file.view(end);
      return view.array(view.dict(view.get(pageNum))?.get('Annots')).length;
    };
    expect([annots(original.length), annots(edited.length), annots()]).toEqual([0, 0, 1]);
  });

  it('rebuilds the object index by scanning when the cross-reference data is unusable', async () => {
    const pdf = Buffer.from(await basePdf({ pages: 2 }));
    const at = pdf.lastIndexOf('startxref');
    pdf.write('startxref\n9', at, 'latin1');
    const file = new PdfFile(pdf);
    expect(file.rebuilt).toBe(true);
    expect(collectRoles(file.view()).pages.size).toBe(2);
  });
});
