import type * as PdfJs from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * Where a text is drawn in a PDF: pdf.js (pdfjs-dist, legacy build for Node) extracts text items with
 * their positions; the first occurrence of the text (also across adjacent items of one line) gives
 * a box in PDF points. pdf.js loads lazily: its first use costs ~0.8 s, later ones ~50 ms per file.
 */
export type TextBox = { page: number; x: number; y: number; width: number; height: number };

type Item = { str: string; transform: number[]; width: number; height: number };

let pdfjs: Promise<typeof PdfJs> | null = null;

/**
 * The first place `text` is drawn (pages in order) that `accept` accepts, or null. Whitespace
 * differences are ignored. `pages` limits the search to the first pages.
 */
export async function findText(pdf: Uint8Array, text: string, options: { pages?: number; accept?: (box: TextBox, pageHeight: number) => boolean } = {}): Promise<TextBox | null> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  const { getDocument } = await pdfjs;
  const needle = squash(text.normalize('NFC'));
  if (!needle) return null;
  // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
  const task = getDocument({ data: pdf.slice(), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 });
  try {
    const doc = await task.promise;
    for (let p = 1; p <= Math.min(doc.numPages, options.pages ?? Infinity); p++) {
      const page = await doc.getPage(p);
      const content = await page.getTextContent();
      const items = content.items.flatMap((i) => ('str' in i && typeof i.str === 'string' ? [i as Item] : []));
      const height = page.view[3] - page.view[1];
      for (let from = 0; from < items.length; ) {
        const found = locate(items.slice(from), needle);
        if (!found) break;
        const box = { page: p, ...found.box };
        if (!options.accept || options.accept(box, height)) return box;
        from += found.lastItem + 1;
      }
    }
    return null;
  } finally {
    await task.destroy();
  }
}

const squash = (s: string) => s.normalize('NFC').replace(/\s+/g, '');

/** The box of the needle within the concatenated (whitespace-free) text of the items, and the index of its last item. */
function locate(items: Item[], needle: string): { box: Omit<TextBox, 'page'>; lastItem: number } | null {
  // Map each character of the squashed page text back to its item and its index in the item.
  const owner: number[] = [];
  const charIndex: number[] = [];
  let all = '';
  items.forEach((item, i) => {
    const s = squash(item.str);
    for (let c = 0; c < s.length; c++) {
      owner.push(i);
      charIndex.push(c);
    }
    all += s;
  });
  const at = all.indexOf(needle);
  if (at === -1) return null;
  const end = at + needle.length - 1;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = owner[at]; i <= owner[end]; i++) {
    const item = items[i];
    const len = Math.max(1, squash(item.str).length);
    const from = i === owner[at] ? charIndex[at] / len : 0;
    const to = i === owner[end] ? (charIndex[end] + 1) / len : 1;
    const x = item.transform[4];
    const y = item.transform[5];
    const height = item.height || Math.abs(item.transform[3]) || 10;
    x0 = Math.min(x0, x + item.width * from);
    x1 = Math.max(x1, x + item.width * to);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y + height);
  }
  return { box: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, lastItem: owner[end] };
}
