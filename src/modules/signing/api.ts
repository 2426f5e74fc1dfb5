import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, badRequest } from '../../core/errors/index.js';

/** JSON shapes of the signing API (and so of the OpenAPI document the web app is typed from). */

const ts = z.string().describe('ISO 8601 date-time');

export const credentialSchema = z.object({
  id: z.string(),
  owner: z.enum(['official', 'unit']),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  unitId: z.string(),
  unitName: z.string(),
  kind: z.enum(['local', 'remote', 'token']).describe('local: PKCS#12 trên máy chủ; remote: ký số từ xa (CSC); token: chỉ chứng thư, khoá trên USB token'),
  label: z.string(),
  subject: z.string(),
  issuer: z.string(),
  serialNumber: z.string(),
  fingerprint: z.string().describe('SHA-256 của chứng thư (hex)'),
  notBefore: ts,
  notAfter: ts,
  source: z.string().describe('demo_ca | uploaded | remote | certificate'),
  status: z.enum(['active', 'disabled', 'revoked']),
  remoteCredentialId: z.string().nullable(),
  failedAttempts: z.number().int().describe('Số lần nhập sai PIN liên tiếp'),
  lockedUntil: ts.nullable().describe('Tạm khoá do nhập sai PIN đến thời điểm này'),
  lastUsedAt: ts.nullable(),
  createdAt: ts,
  usable: z.boolean().describe('Ký được ngay: đang hoạt động, còn hiệu lực, không bị khoá, có khoá trên máy chủ hoặc dịch vụ từ xa'),
});

export const trustedRootSchema = z.object({
  id: z.string(),
  name: z.string(),
  subject: z.string(),
  issuer: z.string(),
  serialNumber: z.string(),
  fingerprint: z.string(),
  notBefore: ts,
  notAfter: ts,
  demo: z.boolean(),
  note: z.string().nullable(),
  createdAt: ts,
});

export const imageSchema = z.object({
  fileId: z.string(),
  sha256: z.string(),
  sealDiameterMm: z.number().nullable(),
  width: z.number().int(),
  height: z.number().int(),
  updatedAt: ts,
});

export const signatureReportSchema = z.looseObject({
  fieldName: z.string(),
  signerName: z.string().nullable(),
  certificate: z.object({ subject: z.string(), issuer: z.string(), serialNumber: z.string(), notBefore: z.string(), notAfter: z.string() }).nullable(),
  integrity: z.enum(['valid', 'invalid']),
  coversWholeDocument: z.boolean(),
  modificationsAfter: z.object({ permitted: z.boolean(), description: z.string() }).nullable(),
  chain: z.enum(['trusted', 'untrusted', 'unknown-root']),
  signingTime: z.string().nullable(),
  timestamp: z.object({ time: z.string(), valid: z.boolean(), authority: z.string().nullable() }).nullable(),
  level: z.enum(['B-B', 'B-T', 'B-LT', 'B-LTA', 'not-pades']),
  subFilter: z.string(),
  reason: z.string().nullable(),
  location: z.string().nullable(),
  certification: z.object({ permissions: z.number().int() }).nullable(),
});

export const verificationReportSchema = z.looseObject({
  signatures: z.array(signatureReportSchema),
  verdict: z.string().describe('Kết luận bằng tiếng Việt'),
  valid: z.boolean(),
});

export const recordSchema = z.object({
  id: z.string(),
  fileId: z.string(),
  documentId: z.string().nullable(),
  action: z.enum(['signed', 'sealed', 'uploaded', 'verified']).describe('signed: lãnh đạo ký số; sealed: văn thư đóng dấu; uploaded: tải lên bản đã ký nơi khác; verified: kiểm tra tự động khi nhận'),
  method: z.string().nullable().describe('local | remote | external | upload'),
  credentialId: z.string().nullable(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  at: ts,
  fieldName: z.string().nullable(),
  level: z.string().nullable(),
  valid: z.boolean(),
  signatureCount: z.number().int(),
  verdict: z.string(),
});

export const placementSchema = z
  .union([
    z.object({
      page: z.number().int().min(1).max(100_000),
      x: z.number().min(0).max(20_000),
      y: z.number().min(0).max(20_000),
      width: z.number().min(10).max(2000),
      height: z.number().min(10).max(2000),
    }),
    z.object({ placeholder: z.string().trim().min(1).max(200), width: z.number().min(10).max(2000).optional(), height: z.number().min(10).max(2000).optional() }),
  ])
  .describe('Vị trí chữ ký: toạ độ PDF (điểm, gốc dưới-trái, trang từ 1) chọn trên trang xem trước, hoặc chữ đánh dấu trong văn bản (ví dụ "[CHU_KY]")');

export type MultipartInput = { file: { content: Buffer; filename: string } | null; fields: Record<string, string> };

/** Reads a multipart form: the one file (field `file`) and the text fields. */
export async function readMultipart(req: FastifyRequest): Promise<MultipartInput> {
  if (!req.isMultipart()) throw new AppError(415, 'unsupported-media-type', 'Sai kiểu dữ liệu gửi lên', 'Hãy gửi multipart/form-data với trường "file".');
  const out: MultipartInput = { file: null, fields: {} };
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file') throw badRequest(`Trường tệp phải tên là "file" (nhận "${part.fieldname}").`);
      out.file = { content: await part.toBuffer(), filename: part.filename };
    } else {
      out.fields[part.fieldname] = String(part.value ?? '').normalize('NFC');
    }
  }
  return out;
}

export function requireFile(m: MultipartInput): { content: Buffer; filename: string } {
  if (!m.file || m.file.content.length === 0) throw badRequest('Thiếu trường "file" trong biểu mẫu gửi lên.');
  return m.file;
}
