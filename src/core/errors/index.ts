/**
 * The one error type of the system. Rendered as RFC 9457 problem+json with a Vietnamese title by
 * core/http. Services throw these; routes never build error bodies by hand.
 */
export type FieldError = { field: string; message: string; [k: string]: unknown };

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
  }
}

export const badRequest = (detail?: string, errors?: FieldError[]) =>
  new AppError(400, 'bad-request', 'Yêu cầu không hợp lệ', detail, errors);
export const validationFailed = (errors: FieldError[], detail?: string) =>
  new AppError(400, 'validation', 'Dữ liệu không hợp lệ', detail ?? 'Một số trường chưa đúng, xem danh sách lỗi.', errors);
export const unprocessable = (title: string, detail?: string, errors?: FieldError[]) =>
  new AppError(422, 'unprocessable', title, detail, errors);
export const unauthorized = (detail?: string) =>
  new AppError(401, 'unauthorized', 'Chưa đăng nhập hoặc phiên đã hết hạn', detail);
export const forbidden = (detail?: string, code = 'forbidden') =>
  new AppError(403, code, 'Không có quyền thực hiện thao tác này', detail);
export const notFound = (what = 'Đối tượng') =>
  new AppError(404, 'not-found', 'Không tìm thấy', `${what} không tồn tại hoặc bạn không có quyền xem.`);
export const conflict = (detail: string, code = 'conflict') =>
  new AppError(409, code, 'Xung đột dữ liệu', detail);
