import { PDFArray, PDFHexString, PDFName, type PDFRef, PDFString } from 'pdf-lib';
import { AppError, badRequest, conflict } from '../../errors/index.js';
import { drawableText } from '../../pdf/index.js';
import { type Placement } from '../types.js';
import { emptyAppearance, sealBoxFor } from './appearance.js';
import { tinosFor } from './font.js';
import { attachField, listFields, textOf } from './fields.js';
import { findText } from './find-text.js';
import { IncrementalPdf } from './incremental.js';
import { pageAt } from './pages.js';

/**
 * The number and date of issue (số, ngày ban hành) filled by the clerk after the leader signed.
 *
 * Before the leader signs, the document gets two empty text form fields (and, if wanted, empty
 * signature fields for the seal): `addIssueFields`, one incremental update. The leader then signs
 * a certification signature with DocMDP P=2, under which filling in form fields and signing are
 * permitted changes (ISO 32000-1 §12.8.2.2). `fillIssueNumber` sets the fields' values and
 * appearances in a new incremental update: the leader's signed bytes stay untouched and the change
 * is of a permitted kind. See docs/signatures.md.
 */
export const ISSUE_NUMBER_FIELD = 'SoVanBan';
export const ISSUE_DATE_FIELD = 'NgayBanHanh';
/** Placeholder texts a template may carry where the number and the date go. */
export const ISSUE_NUMBER_PLACEHOLDER = '[[SO_VAN_BAN]]';
export const ISSUE_DATE_PLACEHOLDER = '[[NGAY_BAN_HANH]]';

const FIELD_FONT_SIZE = 13; // body text of Decree 30 documents (13–14 pt)
const MM = 72 / 25.4;

export type FieldPlacement = Extract<Placement, { page: number } | { placeholder: string }>;

export type FormFieldSpec =
  | { kind: 'text'; name: string; placement: FieldPlacement; fontSize?: number }
  | { kind: 'signature'; name: string; placement: FieldPlacement };

type Rect = { page: number; x: number; y: number; width: number; height: number };

/** The leader's box when placed by a placeholder without a size (as prepareSignature does). */
export const DEFAULT_SIGNATURE_BOX = { width: 170, height: 85 }; // ≈ 60 × 30 mm

async function resolve(update: IncrementalPdf, pdf: Uint8Array, placement: FieldPlacement, height: number, centred?: { width: number; height: number }): Promise<Rect | null> {
  if ('page' in placement) {
    const crop = pageAt(update, placement.page).crop;
    return { ...placement, x: crop.x + placement.x, y: crop.y + placement.y };
  }
  const found = await findText(pdf, placement.placeholder);
  if (!found) return null;
  if (centred) {
    const w = placement.width ?? centred.width;
    const h = placement.height ?? centred.height;
    return { page: found.page, x: found.x + found.width / 2 - w / 2, y: found.y + found.height / 2 - h / 2, width: w, height: h };
  }
  const width = placement.width ?? Math.max(found.width, 120);
  const h = placement.height ?? Math.max(found.height + 4, height);
  // Over the placeholder, starting where it starts (text fields) or centred on it (signatures).
  return { page: found.page, x: found.x - 1, y: found.y + found.height / 2 - h / 2, width, height: h };
}

/** A white box hiding what lies under the field (a placeholder), with `text` drawn in Tinos. */
async function textAppearance(update: IncrementalPdf, width: number, height: number, text: string, size: number): Promise<PDFRef> {
  const white = `1 g 0 0 ${width} ${height} re f\n`;
  if (!text) return update.register(update.context.stream(white, { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, width, height] }));
  const font = tinosFor(update);
  const drawn = drawableText(text);
  const fit = Math.min(size, (size * (width - 4)) / Math.max(1, font.widthOfTextAtSize(drawn, size)));
  const baseline = Math.max(1, (height - fit * 0.7) / 2 - fit * 0.15);
  const ops = `${white}/Tx BMC q BT 0 g /F1 ${fit.toFixed(2)} Tf 2 ${baseline.toFixed(2)} Td ${font.encodeText(drawn).toString()} Tj ET Q EMC\n`;
  return update.register(
    update.context.stream(ops, { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, width, height], Resources: update.context.obj({ Font: update.context.obj({ F1: font.ref }) }) }),
  );
}

/**
 * Adds empty form fields (text fields for the number and date, signature fields to be signed
 * later) as one incremental update. Fields that already exist are left as they are; a placeholder
 * that is not found is an error unless `optional`.
 */
export async function addFormFields(pdf: Uint8Array, fields: (FormFieldSpec & { optional?: boolean })[]): Promise<Uint8Array> {
  const update = await IncrementalPdf.open(pdf);
  const existing = new Set(listFields(update).map((f) => f.name));
  let added = 0;
  for (const spec of fields) {
    if (existing.has(spec.name)) continue;
    const size = spec.kind === 'text' ? (spec.fontSize ?? FIELD_FONT_SIZE) : FIELD_FONT_SIZE;
    const rect = await resolve(update, pdf, spec.placement, size + 5);
    if (!rect) {
      if (spec.optional) continue;
      throw new AppError(422, 'form-field-placeholder-not-found', 'Không tìm thấy vị trí ô', `Không tìm thấy đoạn "${'placeholder' in spec.placement ? spec.placement.placeholder : ''}" để đặt ô "${spec.name}".`);
    }
    const page = pageAt(update, rect.page);
    const field = update.context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      F: 4, // Print
      Rect: [rect.x, rect.y, rect.x + rect.width, rect.y + rect.height].map((v) => Math.round(v * 100) / 100),
      P: page.ref,
    });
    field.set(PDFName.of('T'), PDFHexString.fromText(spec.name));
    if (spec.kind === 'text') {
      field.set(PDFName.of('FT'), PDFName.of('Tx'));
      field.set(PDFName.of('DA'), PDFString.of(`/Helv ${size} Tf 0 g`));
      field.set(PDFName.of('AP'), update.context.obj({ N: await textAppearance(update, rect.width, rect.height, '', size) }));
    } else {
      field.set(PDFName.of('FT'), PDFName.of('Sig'));
      field.set(PDFName.of('AP'), update.context.obj({ N: emptyAppearance(update, rect.width, rect.height) }));
    }
    attachField(update, update.register(field), page, spec.kind === 'signature');
    existing.add(spec.name);
    added++;
  }
  if (added === 0) return pdf;
  ensureDefaultResources(update);
  return (await update.save()).bytes;
}

/** /DR with Helvetica and a /DA, as variable-text fields require (the appearances use Tinos). */
function ensureDefaultResources(update: IncrementalPdf): void {
  const acro = update.editableDict(update.catalog, 'AcroForm');
  if (!acro.get(PDFName.of('DR'))) {
    acro.set(PDFName.of('DR'), update.context.obj({ Font: { Helv: { Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica', Encoding: 'WinAnsiEncoding' } } }));
  }
  if (!acro.get(PDFName.of('DA'))) acro.set(PDFName.of('DA'), PDFString.of('/Helv 0 Tf 0 g'));
}

/**
 * The number and date fields (and optionally the seal's signature field) an outgoing document
 * carries before the leader signs. Positions: the given placements, else the template's
 * placeholders ([[SO_VAN_BAN]], [[NGAY_BAN_HANH]]), else the right of "Số:" and the top right of
 * page 1 (Decree 30 layout). Returns the PDF unchanged when the fields are there already.
 */
export async function addIssueFields(
  pdf: Uint8Array,
  options: {
    number?: FieldPlacement;
    date?: FieldPlacement;
    /** The seal's signature field: `placement` is where the LEADER signs; the field gets the seal's own square beside it (sealBoxFor). */
    seal?: { fieldName: string; placement: FieldPlacement; sealDiameterMm?: number };
  } = {},
): Promise<Uint8Array> {
  const update = await IncrementalPdf.open(pdf);
  const names = new Set(listFields(update).map((f) => f.name));
  if (names.has(ISSUE_NUMBER_FIELD) && names.has(ISSUE_DATE_FIELD) && (!options.seal || names.has(options.seal.fieldName))) return pdf;
  const crop = pageAt(update, 1).crop;
  const top = crop.y + crop.height;
  const number = options.number ?? (await defaultPlacement(pdf, ISSUE_NUMBER_PLACEHOLDER, 'Số:', 'after', { page: 1, x: 30 * MM, y: top - crop.y - 45 * MM, width: 55 * MM, height: 7 * MM }));
  const date = options.date ?? (await defaultPlacement(pdf, ISSUE_DATE_PLACEHOLDER, 'ngày', 'from', { page: 1, x: crop.width - 100 * MM, y: top - crop.y - 45 * MM, width: 85 * MM, height: 7 * MM }));
  const specs: FormFieldSpec[] = [
    { kind: 'text', name: ISSUE_NUMBER_FIELD, placement: number },
    { kind: 'text', name: ISSUE_DATE_FIELD, placement: date },
  ];
  if (options.seal) {
    const leader = await resolve(update, pdf, options.seal.placement, 0, DEFAULT_SIGNATURE_BOX);
    if (!leader) throw new AppError(422, 'signature-placeholder-not-found', 'Không tìm thấy vị trí ký', 'Không tìm thấy vị trí chữ ký của lãnh đạo để đặt ô đóng dấu.');
    const seal = sealBoxFor(leader, options.seal.sealDiameterMm);
    const pageCrop = pageAt(update, leader.page).crop;
    specs.push({ kind: 'signature', name: options.seal.fieldName, placement: { page: leader.page, x: seal.x - pageCrop.x, y: seal.y - pageCrop.y, width: seal.width, height: seal.height } });
  }
  return addFormFields(pdf, specs);
}

/**
 * The template's placeholder; else a label in the header of page 1 (top 40 %) — the field starts
 * after it ("Số:" → the number) or at it ("ngày … tháng … năm …" → replaced by the whole date, up to
 * the right margin); else the fallback box.
 */
async function defaultPlacement(pdf: Uint8Array, placeholder: string, label: string, at: 'after' | 'from', fallback: Extract<Placement, { page: number }>): Promise<FieldPlacement> {
  if (await findText(pdf, placeholder)) return { placeholder };
  const found = await findText(pdf, label, { pages: 1, accept: (box, height) => box.y > height * 0.6 });
  if (!found) return fallback;
  const x = at === 'after' ? found.x + found.width + 2 : found.x - 1;
  const right = at === 'after' ? x + 50 * MM : fallback.x + fallback.width;
  return { page: 1, x, y: found.y - 3, width: Math.max(30 * MM, right - x), height: found.height + 6 };
}

/**
 * The clerk's number and date of issue written into the fields prepared before the leader signed,
 * as an incremental update (values and appearances only) that keeps the leader's signature valid.
 */
export async function fillIssueNumber(
  pdf: Uint8Array,
  input: { number: string; date: string; numberField?: string; dateField?: string; fontSize?: number },
): Promise<Uint8Array> {
  if (!input.number.trim() || !input.date.trim()) throw badRequest('Thiếu số hoặc ngày ban hành.');
  const update = await IncrementalPdf.open(pdf);
  const fields = listFields(update);
  const wanted: [string, string][] = [
    [input.numberField ?? ISSUE_NUMBER_FIELD, input.number],
    [input.dateField ?? ISSUE_DATE_FIELD, input.date],
  ];
  for (const [name, value] of wanted) {
    const field = fields.find((f) => f.name === name);
    if (!field || field.type !== 'Tx') {
      throw conflict(`Văn bản không có ô "${name}" để ghi số và ngày ban hành (ô phải được tạo trước khi lãnh đạo ký).`, 'issue-fields-missing');
    }
    const widget = field.widget ?? { ref: field.ref, dict: field.dict };
    const rect = widget.dict.lookup(PDFName.of('Rect'));
    const box = rect instanceof PDFArray ? rect.asRectangle() : { width: 120, height: 20 };
    const daSize = Number(/([\d.]+)\s+Tf/.exec(textOf(field.dict.get(PDFName.of('DA'))) ?? '')?.[1]);
    const size = input.fontSize ?? (daSize > 0 ? daSize : FIELD_FONT_SIZE);
    field.dict.set(PDFName.of('V'), PDFHexString.fromText(value.normalize('NFC')));
    update.touch(field.ref);
    widget.dict.set(PDFName.of('AP'), update.context.obj({ N: await textAppearance(update, box.width, box.height, value, size) }));
    update.touch(widget.ref);
  }
  return (await update.save()).bytes;
}
