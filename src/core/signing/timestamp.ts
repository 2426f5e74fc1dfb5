import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { AppError } from '../errors/index.js';
import { parseDer, sha256Identifier, toArrayBuffer, toBytes } from './pki.js';

/**
 * RFC 3161 time-stamp client: asks the authority to time-stamp the SHA-256 of `data` (for PAdES
 * B-T: the signature value) and returns the TimeStampToken (DER ContentInfo), after checking that
 * the answer is granted and carries our imprint and nonce.
 */
const unavailable = (detail: string) =>
  new AppError(502, 'timestamp-unavailable', 'Không lấy được dấu thời gian', `Máy chủ cấp dấu thời gian (TSA) không trả lời đúng: ${detail}`);

export type TimestampOptions = { timeoutMs?: number; headers?: Record<string, string> };

export async function requestTimestamp(url: string, data: Uint8Array, options: TimestampOptions = {}): Promise<Uint8Array> {
  return requestTimestampForDigest(url, createHash('sha256').update(data).digest(), options);
}

/** The same for a SHA-256 already computed (a document time-stamp's byte ranges). */
export async function requestTimestampForDigest(url: string, digest: Uint8Array, options: TimestampOptions = {}): Promise<Uint8Array> {
  if (digest.length !== 32) throw unavailable('giá trị băm phải là SHA-256.');
  const imprint = Buffer.from(digest);
  const nonce = randomBytes(8);
  nonce[0] &= 0x7f;
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({ hashAlgorithm: sha256Identifier(), hashedMessage: new asn1js.OctetString({ valueHex: toArrayBuffer(imprint) }) }),
    nonce: new asn1js.Integer({ valueHex: toArrayBuffer(nonce) }),
    certReq: true,
  });
  const body = Buffer.from(request.toSchema().toBER(false));
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 15_000);
  const post = () =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply', ...options.headers },
      body,
      signal: timeout,
    });
  let response: Response;
  try {
    response = await post();
  } catch (first) {
    // A kept-alive connection the server has just closed fails at once ("other side closed"); the
    // request is idempotent, so ask once more on a fresh connection unless the time is up.
    if (timeout.aborted) throw unavailable(`không kết nối được ${url} (${(first as Error).message}).`);
    try {
      response = await post();
    } catch (err) {
      throw unavailable(`không kết nối được ${url} (${(err as Error).message}).`);
    }
  }
  if (!response.ok) throw unavailable(`HTTP ${response.status}.`);
  const answer = new Uint8Array(await response.arrayBuffer());
  let resp: pkijs.TimeStampResp;
  try {
    resp = new pkijs.TimeStampResp({ schema: parseDer(answer, 'TimeStampResp') });
  } catch {
    throw unavailable('câu trả lời không phải TimeStampResp.');
  }
  if (resp.status.status !== 0 && resp.status.status !== 1) {
    const reason = resp.status.statusStrings?.map((s) => s.valueBlock.value).join('; ');
    throw unavailable(`từ chối (trạng thái ${resp.status.status}${reason ? `: ${reason}` : ''}).`);
  }
  if (!resp.timeStampToken) throw unavailable('thiếu TimeStampToken.');
  const info = tstInfo(resp.timeStampToken);
  if (!Buffer.from(info.messageImprint.hashedMessage.valueBlock.valueHexView).equals(imprint)) throw unavailable('dấu thời gian không khớp với chữ ký.');
  if (!info.nonce || !Buffer.from(info.nonce.valueBlock.valueHexView).equals(trimInteger(nonce))) throw unavailable('nonce không khớp.');
  return toBytes(resp.timeStampToken.toSchema().toBER(false));
}

/** The TSTInfo inside a TimeStampToken (its genTime is the time-stamp's time). */
export function tstInfo(token: pkijs.ContentInfo): pkijs.TSTInfo {
  const signed = new pkijs.SignedData({ schema: token.content });
  const content = signed.encapContentInfo.eContent;
  if (!content) throw unavailable('TimeStampToken không có TSTInfo.');
  return pkijs.TSTInfo.fromBER(toArrayBuffer(toBytes(content.getValue())));
}

const trimInteger = (b: Buffer) => {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0 && !(b[i + 1] & 0x80)) i++;
  return b.subarray(i);
};
