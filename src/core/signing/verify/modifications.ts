import { type PdfFile, type PdfView } from './pdf-file.js';
import { isDict, nameOf, PdfStream, type PdfDict, type PdfValue } from './pdf-syntax.js';
import { collectRoles, pageResources, reachable, sameValue, type FieldRole, type Roles } from './roles.js';

/**
 * What was added to a PDF after a signature, and whether it is permitted (ISO 32000-1 §12.8.2.2
 * DocMDP, ISO 32000-2 §12.8.4 and PAdES for the DSS and document time-stamps): the revisions after
 * the signed one are compared object by object with the signed revision, each change is given a
 * category from the role the object plays, and the categories are checked against the certification
 * level (P) of the document.
 */

export type ChangeCategory = 'structure' | 'dss' | 'timestamp' | 'signature' | 'form' | 'annotation' | 'content';
export type Change = { category: ChangeCategory; description: string; permitted: boolean };
export type ModificationReport = { permitted: boolean; description: string; changes: Change[] };
type Found = { category: ChangeCategory; description: string };

/** DocMDP: P=1 nothing but DSS and document time-stamps; P=2 also forms and signatures; P=3 also annotations. */
export function permittedUnder(category: ChangeCategory, p: 1 | 2 | 3 | null): boolean {
  if (category === 'structure' || category === 'dss' || category === 'timestamp') return true;
  if (category === 'signature' || category === 'form') return p !== 1;
  if (category === 'annotation') return p === null || p === 3;
  return false;
}

const GENERIC: Record<ChangeCategory, string> = {
  structure: 'cập nhật cấu trúc tệp',
  dss: 'dữ liệu kiểm tra hiệu lực chứng thư (DSS)',
  timestamp: 'dấu thời gian tài liệu',
  signature: 'cập nhật phục vụ chữ ký số',
  form: 'cập nhật biểu mẫu',
  annotation: 'cập nhật chú thích',
  content: 'thay đổi nội dung tài liệu',
};

const quote = (name: string) => `"${name}"`;
const dictOf = (v: PdfValue | undefined): PdfDict | undefined => (v instanceof PdfStream ? v.dict : isDict(v) ? v : undefined);

export function analyseModifications(file: PdfFile, signedEnd: number, docMdp: 1 | 2 | 3 | null): ModificationReport | null {
  if (signedEnd >= file.bytes.length) return null;
  const later = file.sections.filter((s) => s.offset >= signedEnd);
  if (file.rebuilt) {
    return finish([{ category: 'content', description: 'dữ liệu được thêm vào nhưng cấu trúc tệp bị hỏng nên không xác định được đã thay đổi gì' }], docMdp);
  }
  if (later.length === 0) {
    return {
      permitted: true,
      description: `Sau chữ ký chỉ có ${file.bytes.length - signedEnd} byte không thuộc nội dung tài liệu được thêm vào cuối tệp.`,
      changes: [{ category: 'structure', description: 'dữ liệu thừa ở cuối tệp', permitted: true }],
    };
  }
  const before = file.view(signedEnd);
  const after = file.view();
  const ctx = new Context(before, after);
  const found: Found[] = ctx.roleChanges();
  const changed = new Set<number>();
  for (const section of later) for (const num of section.entries.keys()) changed.add(num);
  for (const num of changed) {
    if (ctx.handled.has(num)) continue;
    const oldValue = before.get(num);
    const newValue = after.get(num);
    if (sameValue(oldValue, newValue)) continue;
    found.push(...ctx.classify(num, oldValue, newValue));
  }
  return finish(found, docMdp);
}

function finish(found: Found[], docMdp: 1 | 2 | 3 | null): ModificationReport {
  const changes: Change[] = [];
  const seen = new Set<string>();
  const described = new Set(found.filter((f) => f.description).map((f) => f.category));
  for (const f of found) {
    // Bookkeeping of a change already described (the AcroForm's /SigFlags of a new signature…).
    if (!f.description && (described.has(f.category) || f.category === 'structure')) continue;
    if (!f.description) f.description = GENERIC[f.category];
    const key = `${f.category}|${f.description}`;
    if (seen.has(key)) continue;
    seen.add(key);
    changes.push({ ...f, permitted: permittedUnder(f.category, docMdp) });
  }
  const listed = (list: Change[]) => {
    const texts = list.map((c) => c.description).filter((d) => d);
    return texts.length > 8 ? `${texts.slice(0, 8).join('; ')} và ${texts.length - 8} thay đổi khác` : texts.join('; ');
  };
  const bad = changes.filter((c) => !c.permitted);
  const good = changes.filter((c) => c.permitted && c.description);
  let description: string;
  if (bad.length === 0) {
    description = good.length > 0 ? `Sau khi ký có bổ sung được phép: ${listed(good)}.` : 'Sau khi ký chỉ có cập nhật cấu trúc tệp, nội dung tài liệu không đổi.';
  } else {
    const rule =
      docMdp === 1
        ? ' Chữ ký chứng thực không cho phép thay đổi tài liệu.'
        : docMdp === 2 && bad.some((c) => c.category === 'annotation')
          ? ' Chữ ký chứng thực chỉ cho phép điền biểu mẫu và ký thêm.'
          : '';
    description = `Sau khi ký, tài liệu bị thay đổi không được phép: ${listed(bad)}.${rule}${good.length > 0 ? ` Các bổ sung được phép: ${listed(good)}.` : ''}`;
  }
  return { permitted: bad.length === 0, description, changes };
}

class Context {
  readonly handled = new Set<number>();
  readonly old: Roles;
  readonly now: Roles;
  private resources?: Map<number, number>;
  private appearances?: Map<number, Found>;

  constructor(
    readonly before: PdfView,
    readonly after: PdfView,
  ) {
    this.old = collectRoles(before);
    this.now = collectRoles(after);
  }

  /** Fields and annotations added or removed, from the two revisions' form and page trees. */
  roleChanges(): Found[] {
    const out: Found[] = [];
    for (const [num, field] of this.now.fields) {
      if (this.old.fields.has(num)) continue;
      this.handled.add(num);
      if (field.type === 'Sig') {
        const value = this.after.dict(this.after.dict(this.after.get(num))?.get('V'));
        const isTimestamp = nameOf(value?.get('Type')) === 'DocTimeStamp' || nameOf(value?.get('SubFilter')) === 'ETSI.RFC3161';
        out.push(isTimestamp ? { category: 'timestamp', description: 'dấu thời gian tài liệu' } : { category: 'signature', description: `chữ ký số mới (ô ${quote(field.name)})` });
      } else out.push({ category: 'annotation', description: `ô biểu mẫu mới ${quote(field.name)}` });
    }
    for (const [num, field] of this.old.fields) {
      if (this.now.fields.has(num)) continue;
      this.handled.add(num);
      out.push({ category: 'content', description: field.type === 'Sig' ? `gỡ ô chữ ký ${quote(field.name)}` : `xoá ô biểu mẫu ${quote(field.name)}` });
    }
    for (const [num, annot] of this.now.annotations) {
      if (this.old.annotations.has(num) || this.handled.has(num)) continue;
      this.handled.add(num);
      // A widget of a field added in the same update is that field's addition, counted above.
      if (annot.field && !this.old.fields.has(annot.field.num)) continue;
      out.push(
        annot.field
          ? { category: annot.field.type === 'Sig' ? 'signature' : 'form', description: `thêm ô hiển thị cho ô ${quote(annot.field.name)}` }
          : { category: 'annotation', description: `chú thích mới (${annot.subtype ?? 'không rõ loại'}) trên trang ${annot.page}` },
      );
    }
    for (const [num, annot] of this.old.annotations) {
      if (this.now.annotations.has(num)) continue;
      this.handled.add(num);
      const sig = annot.field?.type === 'Sig';
      out.push({ category: sig ? 'content' : 'annotation', description: sig ? `gỡ hình chữ ký trên trang ${annot.page}` : `xoá chú thích trên trang ${annot.page}` });
    }
    return out;
  }

  classify(num: number, oldValue: PdfValue | undefined, newValue: PdfValue | undefined): Found[] {
    const { old } = this;
    const newDict = dictOf(newValue);
    const type = nameOf(newDict?.get('Type'));
    if (type === 'XRef' || type === 'ObjStm') return [];
    if (newValue === undefined) return oldValue === undefined ? [] : [this.deleted(num)];
    if (oldValue === undefined) {
      if (type === 'DocTimeStamp' || nameOf(newDict?.get('SubFilter')) === 'ETSI.RFC3161') return [{ category: 'timestamp', description: '' }];
      if (type === 'Sig' || (newDict?.has('ByteRange') && newDict.has('Contents'))) return [{ category: 'signature', description: '' }];
      if (this.now.dss.has(num)) return [{ category: 'dss', description: 'dữ liệu kiểm tra hiệu lực chứng thư (DSS)' }];
      // A new object used by one of the changes found (an appearance, a font…) or by nothing at all.
      return [];
    }
    const oldDict = dictOf(oldValue);
    if (num === old.rootNum || num === this.now.rootNum) return this.catalog(this.before.root, this.after.root);
    if (num === old.infoNum) return [{ category: 'structure', description: 'thông tin mô tả tài liệu (Info)' }];
    if (num === old.acroFormNum) return this.acroForm(oldDict, newDict);
    if (num === old.fieldsArrayNum || old.annotsArrays.has(num)) return [];
    const field = old.fields.get(num);
    if (field) return this.field(field, oldDict, newDict);
    const annot = old.annotations.get(num);
    if (annot) {
      if (annot.field) return this.field(annot.field, oldDict, newDict);
      return [{ category: 'annotation', description: `sửa chú thích trên trang ${annot.page}` }];
    }
    const page = old.pages.get(num);
    if (page !== undefined) return this.page(page, oldDict, newDict);
    if (old.contents.has(num)) return [{ category: 'content', description: `nội dung trang ${old.contents.get(num)}` }];
    if (old.pageTreeNodes.has(num)) return [{ category: 'content', description: 'cây trang (thêm, bớt hoặc sắp xếp lại trang)' }];
    if (old.dss.has(num) || this.now.dss.has(num)) return [{ category: 'dss', description: 'dữ liệu kiểm tra hiệu lực chứng thư (DSS)' }];
    const usedBy = this.pageResourcesMap().get(num);
    if (usedBy !== undefined) return [{ category: 'content', description: `hình ảnh, phông chữ hoặc tài nguyên hiển thị của trang ${usedBy}` }];
    const appearance = this.appearanceOwners().get(num);
    if (appearance) return [appearance];
    return [{ category: 'content', description: `đối tượng số ${num} của tài liệu` }];
  }

  private deleted(num: number): Found {
    const { old } = this;
    if (old.pages.has(num)) return { category: 'content', description: `xoá trang ${old.pages.get(num)}` };
    if (old.contents.has(num)) return { category: 'content', description: `nội dung trang ${old.contents.get(num)}` };
    if (old.dss.has(num)) return { category: 'dss', description: 'dữ liệu kiểm tra hiệu lực chứng thư (DSS)' };
    const usedBy = this.pageResourcesMap().get(num);
    if (usedBy !== undefined) return { category: 'content', description: `hình ảnh, phông chữ hoặc tài nguyên hiển thị của trang ${usedBy}` };
    return { category: 'content', description: `xoá đối tượng số ${num} của tài liệu` };
  }

  private catalog(oldRoot: PdfDict | undefined, newRoot: PdfDict | undefined): Found[] {
    const out: Found[] = [];
    const keys = new Set([...(oldRoot?.keys() ?? []), ...(newRoot?.keys() ?? [])]);
    for (const key of keys) {
      const a = oldRoot?.get(key);
      const b = newRoot?.get(key);
      if (sameValue(a, b)) continue;
      if (key === 'AcroForm') out.push(...this.acroForm(this.before.dict(a), this.after.dict(b)));
      else if (key === 'DSS') out.push({ category: 'dss', description: 'dữ liệu kiểm tra hiệu lực chứng thư (DSS)' });
      else if (key === 'Extensions' || key === 'Version') out.push({ category: 'structure', description: '' });
      else if (key === 'Metadata') out.push({ category: 'structure', description: 'siêu dữ liệu XMP' });
      else if (key === 'Pages') out.push({ category: 'content', description: 'cây trang (thêm, bớt hoặc sắp xếp lại trang)' });
      else if (key === 'Perms') out.push({ category: 'content', description: 'quyền chỉnh sửa của tài liệu (Perms)' });
      else out.push({ category: 'content', description: `mục /${key} của danh mục tài liệu` });
    }
    return out;
  }

  private acroForm(a: PdfDict | undefined, b: PdfDict | undefined): Found[] {
    const out: Found[] = [];
    const keys = new Set([...(a?.keys() ?? []), ...(b?.keys() ?? [])]);
    for (const key of keys) {
      if (sameValue(a?.get(key), b?.get(key))) continue;
      // Added or removed fields are counted from the field trees (roleChanges).
      if (key === 'Fields') continue;
      if (key === 'SigFlags') out.push({ category: 'signature', description: '' });
      else if (key === 'DR' || key === 'DA' || key === 'NeedAppearances') out.push({ category: 'form', description: '' });
      else out.push({ category: 'content', description: `mục /${key} của biểu mẫu` });
    }
    return out;
  }

  private field(field: FieldRole, a: PdfDict | undefined, b: PdfDict | undefined): Found[] {
    const out: Found[] = [];
    const keys = new Set([...(a?.keys() ?? []), ...(b?.keys() ?? [])]);
    const sig = field.type === 'Sig';
    for (const key of keys) {
      if (key === 'Kids' || sameValue(a?.get(key), b?.get(key))) continue;
      if (sig && key === 'V') {
        out.push(a?.get('V') === undefined ? { category: 'signature', description: `ký vào ô chữ ký ${quote(field.name)}` } : { category: 'content', description: `thay chữ ký trong ô ${quote(field.name)}` });
      } else if (sig && ['AP', 'AS', 'MK', 'Lock', 'SV', 'F'].includes(key)) {
        // The appearance of a signature may be drawn when it is signed, not replaced afterwards.
        out.push(field.signed ? { category: 'content', description: `hình hiển thị của chữ ký ${quote(field.name)}` } : { category: 'signature', description: '' });
      }
      else if (!sig && ['V', 'AP', 'AS', 'MK', 'DA', 'Ff', 'RV', 'F'].includes(key)) out.push({ category: 'form', description: `điền ô biểu mẫu ${quote(field.name)}` });
      else out.push({ category: 'annotation', description: `sửa ô ${quote(field.name)} (/${key})` });
    }
    return out;
  }

  private page(page: number, a: PdfDict | undefined, b: PdfDict | undefined): Found[] {
    const out: Found[] = [];
    const keys = new Set([...(a?.keys() ?? []), ...(b?.keys() ?? [])]);
    for (const key of keys) {
      if (key === 'Annots' || sameValue(a?.get(key), b?.get(key))) continue;
      out.push({ category: 'content', description: key === 'Contents' ? `nội dung trang ${page}` : `thuộc tính /${key} của trang ${page}` });
    }
    return out;
  }

  private pageResourcesMap(): Map<number, number> {
    this.resources ??= pageResources(this.before, this.old);
    return this.resources;
  }

  /** Objects drawn as the appearance of an existing annotation or field widget → that change. */
  private appearanceOwners(): Map<number, Found> {
    if (this.appearances) return this.appearances;
    const out = new Map<number, Found>();
    for (const [num, annot] of this.old.annotations) {
      const seen = new Set<number>();
      reachable(this.before, this.before.dict(this.before.get(num))?.get('AP'), seen, 2_000);
      const field = annot.field ?? this.old.fields.get(num);
      const found: Found = field
        ? field.type === 'Sig'
          ? field.signed
            ? { category: 'content', description: `hình hiển thị của chữ ký ${quote(field.name)}` }
            : { category: 'signature', description: '' }
          : { category: 'form', description: `điền ô biểu mẫu ${quote(field.name)}` }
        : { category: 'annotation', description: `sửa chú thích trên trang ${annot.page}` };
      for (const n of seen) if (!out.has(n)) out.set(n, found);
    }
    this.appearances = out;
    return out;
  }
}
