import { PDFArray, PDFDict, PDFName, PDFNumber, type PDFObject, PDFRef, PDFHexString, PDFString } from 'pdf-lib';
import { type IncrementalPdf } from './incremental.js';

/** AcroForm fields of an opened PDF: listing, signature state, the document's DocMDP level. */
export type FormField = {
  ref: PDFRef;
  dict: PDFDict;
  /** Fully qualified name (parents' /T joined with "."). */
  name: string;
  type: string | null;
  /** The widget annotation (the field itself when merged). */
  widget: { ref: PDFRef; dict: PDFDict } | null;
  value: PDFObject | undefined;
};

export function textOf(value: PDFObject | undefined): string | null {
  if (value instanceof PDFString || value instanceof PDFHexString) return value.decodeText();
  return null;
}

const name = (o: PDFObject | undefined) => (o instanceof PDFName ? o.decodeText() : null);

/** Terminal fields of the AcroForm (depth-first, in /Fields order). */
export function listFields(update: IncrementalPdf): FormField[] {
  const acro = update.lookupDict(update.catalog.get(PDFName.of('AcroForm')));
  const out: FormField[] = [];
  const fields = acro ? update.context.lookup(acro.get(PDFName.of('Fields'))) : undefined;
  if (!(fields instanceof PDFArray)) return out;
  const seen = new Set<number>();
  const walk = (refs: PDFArray, prefix: string, inheritedType: string | null, depth: number) => {
    if (depth > 32) return;
    for (const item of refs.asArray()) {
      if (!(item instanceof PDFRef) || seen.has(item.objectNumber)) continue;
      seen.add(item.objectNumber);
      const dict = update.context.lookup(item);
      if (!(dict instanceof PDFDict)) continue;
      const partial = textOf(dict.get(PDFName.of('T')));
      const full = partial === null ? prefix : prefix ? `${prefix}.${partial}` : partial;
      const type = name(dict.get(PDFName.of('FT'))) ?? inheritedType;
      const kids = update.context.lookup(dict.get(PDFName.of('Kids')));
      const kidFields = kids instanceof PDFArray ? kids.asArray().filter((k) => {
        const kd = update.context.lookup(k);
        return kd instanceof PDFDict && kd.get(PDFName.of('T')) !== undefined;
      }) : [];
      if (kids instanceof PDFArray && kidFields.length > 0) {
        walk(kids, full, type, depth + 1);
        continue;
      }
      let widget: FormField['widget'] = null;
      if (name(dict.get(PDFName.of('Subtype'))) === 'Widget') widget = { ref: item, dict };
      else if (kids instanceof PDFArray && kids.get(0) instanceof PDFRef) {
        const kidRef = kids.get(0) as PDFRef;
        const kid = update.context.lookup(kidRef);
        if (kid instanceof PDFDict) widget = { ref: kidRef, dict: kid };
      }
      out.push({ ref: item, dict, name: full, type, widget, value: dict.get(PDFName.of('V')) });
    }
  };
  walk(fields, '', null, 0);
  return out;
}

/** Signature fields that already carry a signature value. */
export function signedFields(update: IncrementalPdf): FormField[] {
  return listFields(update).filter((f) => f.type === 'Sig' && update.context.lookup(f.value) instanceof PDFDict);
}

/** The P value of the document's certification signature (DocMDP), or null when not certified. */
export function docMdpLevel(update: IncrementalPdf): 1 | 2 | 3 | null {
  const perms = update.lookupDict(update.catalog.get(PDFName.of('Perms')));
  const sig = perms ? update.lookupDict(perms.get(PDFName.of('DocMDP'))) : undefined;
  if (!sig) return null;
  const refs = update.context.lookup(sig.get(PDFName.of('Reference')));
  if (!(refs instanceof PDFArray)) return 2;
  for (const r of refs.asArray()) {
    const ref = update.lookupDict(r);
    if (!ref || name(ref.get(PDFName.of('TransformMethod'))) !== 'DocMDP') continue;
    const params = update.lookupDict(ref.get(PDFName.of('TransformParams')));
    const p = params?.get(PDFName.of('P'));
    const level = p instanceof PDFNumber ? p.asNumber() : 2;
    return level === 1 || level === 3 ? level : 2;
  }
  return 2;
}

/** A field name not yet used: base1, base2, … */
export function freeFieldName(update: IncrementalPdf, base = 'Signature'): string {
  const used = new Set(listFields(update).map((f) => f.name));
  for (let i = 1; ; i++) if (!used.has(`${base}${i}`)) return `${base}${i}`;
}

/** Adds the field (merged with its widget) to /Fields and to the page's /Annots; sets /SigFlags when asked. */
export function attachField(update: IncrementalPdf, field: PDFRef, page: { ref: PDFRef; dict: PDFDict }, sigFlags: boolean): void {
  const catalogRef = update.catalogRef;
  const hadAcro = update.catalog.get(PDFName.of('AcroForm'));
  const acro = update.editableDict(update.catalog, 'AcroForm');
  if (!(hadAcro instanceof PDFRef)) update.touch(catalogRef);
  update.editableArray(acro, 'Fields').push(field);
  if (sigFlags) acro.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  const hadAnnots = page.dict.get(PDFName.of('Annots'));
  update.editableArray(page.dict, 'Annots').push(field);
  if (!(hadAnnots instanceof PDFRef)) update.touch(page.ref);
}
