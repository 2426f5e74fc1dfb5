import { type PdfView } from './pdf-file.js';
import { decodeTextString, nameOf, PdfRef, PdfStream, PdfString, type PdfDict, type PdfValue } from './pdf-syntax.js';

/**
 * What each object of a revision is for: pages and their content streams, the page tree,
 * annotations, form fields (signature or not), the DSS. The modification analysis asks these roles
 * to tell a permitted change (a form value, a new signature) from a forbidden one (page content).
 */

export type FieldRole = { num: number; name: string; type: string | null; signed: boolean };
export type AnnotationRole = { page: number; subtype: string | null; field: FieldRole | null };

export type Roles = {
  rootNum: number | null;
  infoNum: number | null;
  acroFormNum: number | null;
  fieldsArrayNum: number | null;
  pages: Map<number, number>;
  pageTreeNodes: Set<number>;
  /** Content streams (and arrays of them) → page number. */
  contents: Map<number, number>;
  /** Indirect /Annots arrays → page number. */
  annotsArrays: Map<number, number>;
  annotations: Map<number, AnnotationRole>;
  fields: Map<number, FieldRole>;
  /** Objects reachable from /DSS. */
  dss: Set<number>;
};

const MAX_PAGES = 100_000;

export function collectRoles(view: PdfView): Roles {
  const memo = view.memo.get('roles') as Roles | undefined;
  if (memo) return memo;
  const roles = computeRoles(view);
  view.memo.set('roles', roles);
  return roles;
}

function computeRoles(view: PdfView): Roles {
  const roles: Roles = {
    rootNum: refNum(view.trailer.get('Root')),
    infoNum: refNum(view.trailer.get('Info')),
    acroFormNum: null,
    fieldsArrayNum: null,
    pages: new Map(),
    pageTreeNodes: new Set(),
    contents: new Map(),
    annotsArrays: new Map(),
    annotations: new Map(),
    fields: new Map(),
    dss: new Set(),
  };
  const root = view.root;
  if (!root) return roles;
  const acroForm = root.get('AcroForm');
  roles.acroFormNum = refNum(acroForm);
  const fields = view.dict(acroForm)?.get('Fields');
  roles.fieldsArrayNum = refNum(fields);
  walkFields(view, view.array(fields), '', null, roles.fields, 0);
  walkPages(view, root.get('Pages'), roles);
  reachable(view, root.get('DSS'), roles.dss);
  return roles;
}

/** The form fields of a revision (fully qualified names), by object number. */
export function formFields(view: PdfView): Map<number, FieldRole> {
  const out = new Map<number, FieldRole>();
  walkFields(view, view.array(view.dict(view.root?.get('AcroForm'))?.get('Fields')), '', null, out, 0);
  return out;
}

export const refNum = (v: PdfValue | undefined): number | null => (v instanceof PdfRef ? v.num : null);

function walkFields(view: PdfView, kids: PdfValue[], prefix: string, inheritedType: string | null, out: Map<number, FieldRole>, depth: number): void {
  if (depth > 32) return;
  for (const kid of kids) {
    const num = refNum(kid);
    const dict = view.dict(kid);
    if (!dict || (num !== null && out.has(num))) continue;
    const t = view.resolve(dict.get('T'));
    const name = t instanceof PdfString ? (prefix ? `${prefix}.${decodeTextString(t)}` : decodeTextString(t)) : prefix;
    const type = nameOf(view.resolve(dict.get('FT'))) ?? inheritedType;
    if (num !== null) out.set(num, { num, name, type, signed: type === 'Sig' && dict.get('V') !== undefined && dict.get('V') !== null });
    walkFields(view, view.array(dict.get('Kids')), name, type, out, depth + 1);
  }
}

function walkPages(view: PdfView, node: PdfValue | undefined, roles: Roles): void {
  const stack: { node: PdfValue | undefined; depth: number }[] = [{ node, depth: 0 }];
  // Depth-first in document order: push kids reversed.
  while (stack.length > 0 && roles.pages.size < MAX_PAGES) {
    const { node: current, depth } = stack.pop()!;
    const num = refNum(current);
    const dict = view.dict(current);
    if (!dict || depth > 64 || (num !== null && (roles.pageTreeNodes.has(num) || roles.pages.has(num)))) continue;
    const kids = dict.get('Kids');
    if (nameOf(dict.get('Type')) === 'Pages' || (kids !== undefined && nameOf(dict.get('Type')) !== 'Page')) {
      if (num !== null) roles.pageTreeNodes.add(num);
      const kidsNum = refNum(kids);
      if (kidsNum !== null) roles.pageTreeNodes.add(kidsNum);
      const list = view.array(kids);
      for (let i = list.length - 1; i >= 0; i--) stack.push({ node: list[i], depth: depth + 1 });
      continue;
    }
    const page = roles.pages.size + 1;
    if (num !== null) roles.pages.set(num, page);
    addPage(view, dict, page, roles);
  }
}

function addPage(view: PdfView, page: PdfDict, pageNumber: number, roles: Roles): void {
  const contents = page.get('Contents');
  const contentsNum = refNum(contents);
  if (contentsNum !== null) roles.contents.set(contentsNum, pageNumber);
  const contentsValue = view.resolve(contents);
  if (Array.isArray(contentsValue)) for (const c of contentsValue) if (refNum(c) !== null) roles.contents.set(refNum(c)!, pageNumber);
  const annots = page.get('Annots');
  const annotsNum = refNum(annots);
  if (annotsNum !== null) roles.annotsArrays.set(annotsNum, pageNumber);
  for (const a of view.array(annots)) {
    const num = refNum(a);
    const dict = view.dict(a);
    if (num === null || !dict) continue;
    const subtype = nameOf(dict.get('Subtype')) ?? null;
    const field = roles.fields.get(num) ?? parentField(view, dict, roles) ?? (subtype === 'Widget' ? orphanField(view, dict, num, roles) : null);
    roles.annotations.set(num, { page: pageNumber, subtype, field });
  }
}

/**
 * A widget that is a field but is missing from the form's /Fields (pdfsig 22.12 leaves its new
 * signature field out of an AcroForm written as a direct dictionary; viewers still show it).
 */
function orphanField(view: PdfView, widget: PdfDict, num: number, roles: Roles): FieldRole | null {
  const parent = view.dict(widget.get('Parent'));
  const type = nameOf(view.resolve(widget.get('FT'))) ?? nameOf(view.resolve(parent?.get('FT')));
  if (!type) return null;
  const t = view.resolve(widget.get('T')) ?? view.resolve(parent?.get('T'));
  const value = widget.get('V') ?? parent?.get('V');
  const field: FieldRole = { num, name: t instanceof PdfString ? decodeTextString(t) : `#${num}`, type, signed: type === 'Sig' && value !== undefined && value !== null };
  roles.fields.set(num, field);
  return field;
}

function parentField(view: PdfView, widget: PdfDict, roles: Roles): FieldRole | null {
  const parent = refNum(widget.get('Parent'));
  return parent !== null ? (roles.fields.get(parent) ?? null) : null;
}

/** Adds every object number reachable from `start` to `into` (bounded). */
export function reachable(view: PdfView, start: PdfValue | undefined, into: Set<number>, limit = 20_000): void {
  const stack: (PdfValue | undefined)[] = [start];
  while (stack.length > 0 && into.size < limit) {
    const v = stack.pop();
    if (v instanceof PdfRef) {
      if (into.has(v.num)) continue;
      into.add(v.num);
      stack.push(view.get(v.num));
    } else if (Array.isArray(v)) stack.push(...v);
    else if (v instanceof Map) stack.push(...v.values());
    else if (v instanceof PdfStream) stack.push(...v.dict.values());
  }
}

/** Object numbers referenced directly inside a value (not following the references). */
export function referencesIn(value: PdfValue | undefined, out: number[] = []): number[] {
  if (value instanceof PdfRef) out.push(value.num);
  else if (Array.isArray(value)) for (const v of value) referencesIn(v, out);
  else if (value instanceof Map) for (const v of value.values()) referencesIn(v, out);
  else if (value instanceof PdfStream) referencesIn(value.dict, out);
  return out;
}

/** Objects used to draw each page (resources, XObjects, fonts, patterns…) → first page using them. */
export function pageResources(view: PdfView, roles: Roles): Map<number, number> {
  const out = new Map<number, number>();
  for (const [pageNum, page] of roles.pages) {
    const dict = view.dict(view.get(pageNum));
    let resources = dict?.get('Resources');
    // Inherited resources live on a page-tree node.
    for (let node = dict, i = 0; resources === undefined && node && i < 32; i++) {
      node = view.dict(node.get('Parent'));
      resources = node?.get('Resources');
    }
    const seen = new Set<number>();
    reachable(view, resources, seen, 5_000);
    for (const num of seen) if (!out.has(num) && !roles.pages.has(num) && !roles.pageTreeNodes.has(num)) out.set(num, page);
  }
  return out;
}

/** Deep equality of two values read from the file (streams compare their raw bytes). */
export function sameValue(a: PdfValue | undefined, b: PdfValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (a instanceof PdfRef) return b instanceof PdfRef && a.num === b.num && a.gen === b.gen;
  if (a instanceof PdfString) return b instanceof PdfString && Buffer.compare(a.bytes, b.bytes) === 0;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (a instanceof PdfStream) return b instanceof PdfStream && sameValue(a.dict, b.dict) && Buffer.compare(a.raw, b.raw) === 0;
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!sameValue(v, b.get(k))) return false;
    return true;
  }
  if (typeof a === 'object' && typeof b === 'object' && 'name' in a && 'name' in b) return a.name === b.name;
  return false;
}
