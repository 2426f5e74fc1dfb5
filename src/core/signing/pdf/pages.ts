import { PDFArray, type PDFDict, PDFName, PDFNumber, PDFRef } from 'pdf-lib';
import { badRequest } from '../../errors/index.js';
import { type IncrementalPdf } from './incremental.js';

/**
 * Pages found by walking the page tree to the one wanted (its /Count says which branch), so a
 * 200-page file is not read page by page to sign page 1.
 */
export type PageInfo = { ref: PDFRef; dict: PDFDict; crop: { x: number; y: number; width: number; height: number } };

const MAX_DEPTH = 64;

export function pageCount(update: IncrementalPdf): number {
  const root = update.lookupDict(update.catalog.get(PDFName.of('Pages')));
  const count = root?.get(PDFName.of('Count'));
  return count instanceof PDFNumber ? count.asNumber() : 0;
}

/** Page `number` (1-based), or a 400 problem when the file has no such page. */
export function pageAt(update: IncrementalPdf, number: number): PageInfo {
  const total = pageCount(update);
  if (!Number.isInteger(number) || number < 1 || number > total) throw badRequest(`Trang ${number} không có trong tệp (tệp có ${total} trang).`);
  let node = update.lookupDict(update.catalog.get(PDFName.of('Pages')));
  let index = number - 1;
  for (let depth = 0; node && depth < MAX_DEPTH; depth++) {
    const kids = update.context.lookup(node.get(PDFName.of('Kids')));
    if (!(kids instanceof PDFArray)) break;
    let next: PDFDict | undefined;
    for (const kid of kids.asArray()) {
      const dict = update.lookupDict(kid);
      if (!dict) continue;
      const isLeaf = dict.get(PDFName.of('Type'))?.toString() === '/Page' || !dict.get(PDFName.of('Kids'));
      if (isLeaf) {
        if (index === 0 && kid instanceof PDFRef) return { ref: kid, dict, crop: cropBox(update, dict) };
        index--;
        continue;
      }
      const count = dict.get(PDFName.of('Count'));
      const n = count instanceof PDFNumber ? count.asNumber() : 0;
      if (index < n) {
        next = dict;
        break;
      }
      index -= n;
    }
    node = next;
  }
  throw badRequest(`Không đọc được trang ${number} của tệp.`);
}

/** The page's crop box (inherited through /Parent, defaulting to the media box). */
function cropBox(update: IncrementalPdf, page: PDFDict): PageInfo['crop'] {
  const inherited = (key: string) => {
    let node: PDFDict | undefined = page;
    for (let depth = 0; node && depth < MAX_DEPTH; depth++) {
      const value = update.context.lookup(node.get(PDFName.of(key)));
      if (value instanceof PDFArray) return value;
      node = update.lookupDict(node.get(PDFName.of('Parent')));
    }
    return undefined;
  };
  const box = inherited('CropBox') ?? inherited('MediaBox');
  if (!box) return { x: 0, y: 0, width: 595.28, height: 841.89 };
  const [a, b, c, d] = box.asArray().map((v) => (update.context.lookup(v) as PDFNumber).asNumber());
  return { x: Math.min(a, c), y: Math.min(b, d), width: Math.abs(c - a), height: Math.abs(d - b) };
}
