import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type FieldError } from '../errors/index.js';

const TYPE_BASE = 'https://lienthong.vn/problems/';

export function sendProblem(reply: FastifyReply, req: FastifyRequest, e: AppError): FastifyReply {
  if (e.headers) for (const [k, v] of Object.entries(e.headers)) reply.header(k, v);
  return reply
    .status(e.status)
    .type('application/problem+json; charset=utf-8')
    .send({
      type: TYPE_BASE + e.code,
      title: e.title,
      status: e.status,
      ...(e.detail ? { detail: e.detail } : {}),
      instance: `urn:request:${req.id}`,
      ...(e.errors?.length ? { errors: e.errors } : {}),
    });
}

// Fastify's own 4xx errors, translated.
const FASTIFY_CODES: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed-json', 'Dữ liệu JSON không đúng cú pháp'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'empty-body', 'Thiếu nội dung yêu cầu'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body-too-large', 'Dữ liệu gửi lên quá lớn'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported-media-type', 'Kiểu dữ liệu không được hỗ trợ'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad-content-length', 'Độ dài nội dung không hợp lệ'],
  FST_REQ_FILE_TOO_LARGE: [413, 'file-too-large', 'Tệp tải lên quá lớn'],
  FST_FILES_LIMIT: [413, 'too-many-files', 'Quá nhiều tệp trong một yêu cầu'],
  FST_PARTS_LIMIT: [413, 'too-many-parts', 'Quá nhiều phần trong yêu cầu'],
  FST_INVALID_MULTIPART_CONTENT_TYPE: [415, 'not-multipart', 'Yêu cầu phải là multipart/form-data'],
};

// PostgreSQL errors that are the client's fault.
const PG_CODES: Record<string, [number, string, string, string]> = {
  '23505': [409, 'duplicate', 'Dữ liệu bị trùng', 'Giá trị này đã tồn tại.'],
  '23503': [409, 'referenced', 'Dữ liệu đang được tham chiếu', 'Đối tượng liên quan không tồn tại hoặc đang được sử dụng.'],
  '22P02': [400, 'bad-value', 'Giá trị không hợp lệ', 'Một giá trị không đúng định dạng.'],
  '22001': [400, 'too-long', 'Giá trị quá dài', 'Một giá trị vượt quá độ dài cho phép.'],
};

function pgCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } };
  if (typeof e.cause?.code === 'string') return e.cause.code;
  return typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : undefined;
}

export function toAppError(err: FastifyError | Error): AppError | null {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err as { validationContext?: string }).validationContext ?? 'body';
    const errors: FieldError[] = err.validation.map((v) => ({
      // Body fields are named as the services name them (`agencyCode`, `roles.0.unitId`);
      // query and path parameters carry their place (`query.page`, `params.id`).
      field: [...(where === 'body' ? [] : [where === 'querystring' ? 'query' : where]), ...v.instancePath.split('/').filter(Boolean)].join('.') || where,
      message: v.message ?? 'Giá trị không hợp lệ',
    }));
    return new AppError(400, 'validation', 'Dữ liệu không hợp lệ', 'Một số trường chưa đúng, xem danh sách lỗi.', errors);
  }
  const fe = err as FastifyError;
  if (fe.code && FASTIFY_CODES[fe.code]) {
    const [status, code, title] = FASTIFY_CODES[fe.code];
    return new AppError(status, code, title, fe.message);
  }
  const pc = pgCode(err);
  if (pc && PG_CODES[pc]) {
    const [status, code, title, detail] = PG_CODES[pc];
    return new AppError(status, code, title, detail);
  }
  if (fe.statusCode === 429) return new AppError(429, 'rate-limited', 'Quá nhiều yêu cầu', 'Vui lòng thử lại sau ít phút.');
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError(fe.statusCode, 'bad-request', 'Yêu cầu không hợp lệ', fe.message);
  }
  return null;
}

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const known = toAppError(err);
    if (known) {
      if (known.status >= 500) req.log.error({ err }, 'request failed');
      return sendProblem(reply, req, known);
    }
    req.log.error({ err }, 'unhandled error');
    return sendProblem(reply, req, new AppError(500, 'internal', 'Lỗi hệ thống', `Đã ghi nhận sự cố (mã yêu cầu ${req.id}). Vui lòng thử lại hoặc báo quản trị viên.`));
  });
  app.setNotFoundHandler((req, reply) =>
    sendProblem(reply, req, new AppError(404, 'not-found', 'Không tìm thấy', `Không có đường dẫn ${req.method} ${req.url.split('?')[0]}.`)),
  );
}
