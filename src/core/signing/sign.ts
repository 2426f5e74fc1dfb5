import { createHash } from 'node:crypto';
import { AppError } from '../errors/index.js';
import { assembleCms, buildSignedAttributes, cmsMessageDigest } from './cms.js';
import { DEFAULT_CONTENTS_SIZE, prepareSignature, writeCms } from './pdf/prepare.js';
import { requestTimestampForDigest } from './timestamp.js';
import { type PreparedSignature, type SignOptions, type Signer } from './types.js';

/**
 * Step 3 of external signing (and of signPdf): the signed PDF. The CMS must sign the prepared
 * byte ranges (its messageDigest is checked), so a signer's answer for another document or an older
 * preparation is refused instead of producing a PDF with a broken signature.
 */
export function embedCms(prepared: PreparedSignature, cms: Uint8Array): Uint8Array {
  checkCms(prepared, cms);
  return writeCms(prepared, cms);
}

function checkCms(prepared: PreparedSignature, cms: Uint8Array): void {
  const digest = cmsMessageDigest(cms);
  if (!digest) throw new AppError(422, 'signature-cms-invalid', 'Chữ ký số không hợp lệ', 'Dữ liệu chữ ký không phải CMS SignedData có thuộc tính messageDigest.');
  if (!Buffer.from(digest).equals(Buffer.from(prepared.contentDigest))) {
    throw new AppError(422, 'signature-cms-mismatch', 'Chữ ký số không khớp với văn bản', 'Chữ ký được tạo cho một nội dung khác với tệp đã chuẩn bị để ký.');
  }
}

/** One call: prepare → signed attributes → signer.signDigest → CMS (time-stamped if asked) → embed. */
export async function signPdf(pdf: Uint8Array, signer: Signer, options: SignOptions): Promise<Uint8Array> {
  const certificates = await signer.certificates();
  if (certificates.length === 0) throw new AppError(422, 'signing-certificate-missing', 'Thiếu chứng thư số', 'Khoá ký số không có chứng thư số.');
  let prepared = await prepareSignature(pdf, options);
  for (let attempt = 0; ; attempt++) {
    const signedAttributes = buildSignedAttributes(prepared.contentDigest, certificates[0]);
    const { signature, algorithm } = await signer.signDigest(new Uint8Array(createHash('sha256').update(signedAttributes).digest()));
    const cms = await assembleCms({ signedAttributes, signature, algorithm, certificates, timestampUrl: options.timestampUrl });
    const room = (prepared.byteRange[2] - prepared.byteRange[1] - 2) / 2;
    if (cms.length <= room || options.contentsSize || attempt > 0) return writeCms(prepared, cms, true);
    // A long chain or a large time-stamp token: prepare again with room to spare.
    prepared = await prepareSignature(pdf, { ...options, contentsSize: cms.length + 4096 });
  }
}

/**
 * A document time-stamp (PAdES B-LTA, /SubFilter /ETSI.RFC3161): an RFC 3161 token over the whole
 * file as it is — typically after addValidationData — in an invisible field, as an incremental update.
 * Permitted under every DocMDP level.
 */
export async function addDocumentTimestamp(pdf: Uint8Array, input: { timestampUrl: string; contentsSize?: number }): Promise<Uint8Array> {
  const prepared = await prepareSignature(pdf, { placement: { invisible: true }, signingTime: new Date(), contentsSize: input.contentsSize ?? DEFAULT_CONTENTS_SIZE }, true);
  const token = await requestTimestampForDigest(input.timestampUrl, prepared.contentDigest);
  return writeCms(prepared, token, true);
}
