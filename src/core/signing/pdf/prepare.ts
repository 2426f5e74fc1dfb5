import { createHash } from 'node:crypto';
import { PDFArray, PDFHexString, PDFInvalidObject, PDFName } from 'pdf-lib';
import { AppError, badRequest, conflict } from '../../errors/index.js';
import { type Placement, type PreparedSignature, type SignOptions } from '../types.js';
import { buildAppearance, buildCornerAppearance, type BuiltAppearance, emptyAppearance, isoVietnam, pdfDateVietnam } from './appearance.js';
import { attachField, docMdpLevel, freeFieldName, listFields, signedFields } from './fields.js';
import { findText } from './find-text.js';
import { DEFAULT_SIGNATURE_BOX } from './form-fields.js';
import { IncrementalPdf, indexOf } from './incremental.js';
import { pageAt } from './pages.js';

/**
 * Step 1 of a PAdES signature: the PDF with a signature field, its appearance and a signature
 * dictionary whose /Contents is a zero-filled placeholder, appended as an incremental update;
 * the byte range around the placeholder and its SHA-256.
 */
/** Bytes reserved for the CMS: a signature with a two-certificate chain takes ~3.5 KB, a time-stamp token ~4 KB more; signPdf prepares again when it does not fit. */
export const DEFAULT_CONTENTS_SIZE = 8 * 1024;
export const DEFAULT_CONTENTS_SIZE_TIMESTAMPED = 16 * 1024;
const BYTE_RANGE_WIDTH = 36; // "0 " + three numbers of up to 10 digits, padded with spaces

const text = (s: string) => PDFHexString.fromText(s.normalize('NFC')).toString();

type SignatureDict = { bytes: Uint8Array; byteRangeAt: number; contentsAt: number; contentsLength: number };

/**
 * The signature dictionary, written by hand so the placeholders' offsets are known. A document
 * time-stamp (PAdES B-LTA) has no signer, reason or time of its own: the token is all.
 */
function signatureDictionary(options: SignOptions, contentsSize: number, documentTimestamp: boolean): SignatureDict {
  let head = documentTimestamp
    ? '<< /Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161 /ByteRange ['
    : '<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [';
  const byteRangeAt = head.length;
  head += `0${' '.repeat(BYTE_RANGE_WIDTH - 1)}] /Contents `;
  const contentsAt = head.length;
  const contents = `<${'0'.repeat(contentsSize * 2)}>`;
  if (documentTimestamp) {
    const bytes = new TextEncoder().encode(`${head}${contents} /Prop_Build << /App << /Name /LienThong >> >> >>`);
    return { bytes, byteRangeAt, contentsAt, contentsLength: contents.length };
  }
  let tail = ` /M (${pdfDateVietnam(options.signingTime)})`;
  if (options.signerName) tail += ` /Name ${text(options.signerName)}`;
  if (options.reason) tail += ` /Reason ${text(options.reason)}`;
  if (options.location) tail += ` /Location ${text(options.location)}`;
  if (options.contactInfo) tail += ` /ContactInfo ${text(options.contactInfo)}`;
  if (options.certify) {
    tail += ` /Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P ${options.certify} /V /1.2 >> >>]`;
  }
  tail += ' /Prop_Build << /App << /Name /LienThong >> >> >>';
  return {
    bytes: new TextEncoder().encode(head + contents + tail),
    byteRangeAt,
    contentsAt,
    contentsLength: contents.length,
  };
}

type Target = { pageIndex: number; appearance: BuiltAppearance };

async function placeSignature(update: IncrementalPdf, pdf: Uint8Array, options: SignOptions): Promise<Target> {
  const placement: Placement = options.placement;
  const appearance = options.appearance ?? {};
  if ('invisible' in placement) return { pageIndex: 0, appearance: { stream: emptyAppearance(update), rect: [0, 0, 0, 0] } };
  if ('attachmentCorner' in placement) {
    const crop = pageAt(update, 1).crop;
    const lines = appearance.lines?.length ? appearance.lines : [options.signerName ?? '', isoVietnam(options.signingTime)];
    return { pageIndex: 0, appearance: await buildCornerAppearance(update, { right: crop.x + crop.width, top: crop.y + crop.height }, lines) };
  }
  if ('placeholder' in placement) {
    const found = await findText(pdf, placement.placeholder);
    if (!found) {
      throw new AppError(422, 'signature-placeholder-not-found', 'Không tìm thấy vị trí ký', `Không tìm thấy đoạn văn bản "${placement.placeholder}" để đặt chữ ký trong tệp PDF.`);
    }
    const width = placement.width ?? DEFAULT_SIGNATURE_BOX.width;
    const height = placement.height ?? DEFAULT_SIGNATURE_BOX.height;
    const cx = found.x + found.width / 2;
    const cy = found.y + found.height / 2;
    const box = { x: cx - width / 2, y: cy - height / 2, width, height };
    return { pageIndex: found.page - 1, appearance: await buildAppearance(update, box, appearance) };
  }
  const { page, x, y, width, height } = placement;
  if (!(width > 0 && height > 0) || ![x, y].every(Number.isFinite)) throw badRequest('Vị trí chữ ký không hợp lệ (toạ độ, chiều rộng và chiều cao phải là số dương).');
  const crop = pageAt(update, page).crop;
  const box = { x: crop.x + x, y: crop.y + y, width, height };
  return { pageIndex: page - 1, appearance: await buildAppearance(update, box, appearance) };
}

/** Refuses what the document's permissions or state do not allow. */
function checkAllowed(update: IncrementalPdf, options: SignOptions, documentTimestamp: boolean): void {
  const level = docMdpLevel(update);
  if (level === 1 && !documentTimestamp) {
    throw conflict('Văn bản đã được ký chứng thực không cho phép bất kỳ thay đổi nào (DocMDP P=1); không thể ký thêm.', 'signature-not-permitted');
  }
  if (options.certify) {
    if (![1, 2, 3].includes(options.certify)) throw badRequest('Quyền thay đổi của chữ ký chứng thực phải là 1, 2 hoặc 3.');
    if (level !== null || signedFields(update).length > 0) {
      throw conflict('Chữ ký chứng thực (certification) phải là chữ ký đầu tiên trên văn bản.', 'signature-certify-not-first');
    }
  }
}

/** `documentTimestamp`: the placeholder of a document time-stamp (addDocumentTimestamp) instead of a signature. */
export async function prepareSignature(pdf: Uint8Array, options: SignOptions, documentTimestamp = false): Promise<PreparedSignature> {
  if (!(options.signingTime instanceof Date) || Number.isNaN(options.signingTime.getTime())) throw badRequest('Thiếu thời điểm ký.');
  const update = await IncrementalPdf.open(pdf);
  checkAllowed(update, options, documentTimestamp);
  const contentsSize = options.contentsSize ?? (options.timestampUrl ? DEFAULT_CONTENTS_SIZE_TIMESTAMPED : DEFAULT_CONTENTS_SIZE);
  const sig = signatureDictionary(options, contentsSize, documentTimestamp);
  const sigRef = update.register(PDFInvalidObject.of(sig.bytes));
  const existing = options.fieldName ? listFields(update).find((f) => f.name === options.fieldName) : undefined;
  if (existing && (existing.type !== 'Sig' || existing.value !== undefined)) {
    throw conflict(`Trường "${options.fieldName}" đã được ký hoặc không phải trường chữ ký.`, 'signature-field-used');
  }
  if (existing) {
    // A field prepared earlier (e.g. for the seal before the leader certified): sign it where it is.
    const widget = existing.widget ?? { ref: existing.ref, dict: existing.dict };
    existing.dict.set(PDFName.of('V'), sigRef);
    update.touch(existing.ref);
    const rect = widget.dict.lookup(PDFName.of('Rect'));
    const box = rect instanceof PDFArray ? rect.asRectangle() : null;
    // Drawn inside the field's rectangle: its /Rect stays as it was when the leader certified.
    const stream = box && box.width > 0 && box.height > 0 ? (await buildAppearance(update, box, options.appearance ?? {}, true)).stream : emptyAppearance(update);
    widget.dict.set(PDFName.of('AP'), update.context.obj({ N: stream }));
    update.touch(widget.ref);
  } else {
    const target = await placeSignature(update, pdf, options);
    const page = pageAt(update, target.pageIndex + 1);
    const field = update.context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      F: 132, // Print + Locked
      Rect: target.appearance.rect.map((v) => Math.round(v * 1000) / 1000),
      P: page.ref,
      V: sigRef,
      AP: { N: target.appearance.stream },
    });
    field.set(PDFName.of('T'), PDFHexString.fromText(options.fieldName ?? freeFieldName(update, documentTimestamp ? 'DocTimeStamp' : 'Signature')));
    attachField(update, update.register(field), page, true);
  }
  if (options.certify) {
    const perms = update.editableDict(update.catalog, 'Perms');
    perms.set(PDFName.of('DocMDP'), sigRef);
    update.touch(update.catalogRef);
  } else {
    // Signing an existing field still needs /SigFlags; attachField sets it for new ones.
    const acro = update.lookupDict(update.catalog.get(PDFName.of('AcroForm')));
    if (acro && !acro.get(PDFName.of('SigFlags'))) {
      update.editableDict(update.catalog, 'AcroForm').set(PDFName.of('SigFlags'), update.context.obj(3));
      update.touch(update.catalogRef);
    }
  }
  const saved = await update.save();
  return finishPlaceholder(saved.bytes, saved.offsets.get(sigRef.objectNumber)!, sig);
}

/** Writes the byte range into the placeholder and hashes the two ranges (without copying them). */
function finishPlaceholder(bytes: Uint8Array, objectAt: number, sig: SignatureDict): PreparedSignature {
  const dictAt = indexOf(bytes, '<<', objectAt);
  const start = dictAt + sig.contentsAt;
  const end = start + sig.contentsLength;
  const byteRange: [number, number, number, number] = [0, start, end, bytes.length - end];
  const written = `${byteRange.join(' ')}`.padEnd(BYTE_RANGE_WIDTH, ' ');
  if (written.length > BYTE_RANGE_WIDTH) throw new AppError(413, 'pdf-too-large', 'Tệp quá lớn', 'Tệp PDF quá lớn để ký.');
  bytes.set(new TextEncoder().encode(written), dictAt + sig.byteRangeAt);
  return { prepared: bytes, byteRange, contentDigest: byteRangeDigest(bytes, byteRange) };
}

export function byteRangeDigest(bytes: Uint8Array, byteRange: readonly number[]): Uint8Array {
  const hash = createHash('sha256');
  for (let i = 0; i + 1 < byteRange.length; i += 2) hash.update(bytes.subarray(byteRange[i], byteRange[i] + byteRange[i + 1]));
  return new Uint8Array(hash.digest());
}

/**
 * The CMS written into the placeholder. Returns a new array (the prepared one is kept, so an
 * external signer's answer can be retried); `inPlace` skips that copy for one-call signing.
 */
export function writeCms(prepared: PreparedSignature, cms: Uint8Array, inPlace = false): Uint8Array {
  const [, start, end] = prepared.byteRange;
  const room = (end - start - 2) / 2;
  if (cms.length > room) {
    throw new AppError(422, 'signature-too-large', 'Chữ ký quá lớn', `Chữ ký số (${cms.length} byte) lớn hơn chỗ dành sẵn (${room} byte); hãy chuẩn bị lại với contentsSize lớn hơn.`);
  }
  const out = inPlace ? prepared.prepared : prepared.prepared.slice();
  if (out[start] !== 0x3c || out[end - 1] !== 0x3e) throw badRequest('Tệp đã chuẩn bị không khớp với vùng ký (ByteRange).');
  out.set(new TextEncoder().encode(Buffer.from(cms).toString('hex').toUpperCase()), start + 1);
  return out;
}
