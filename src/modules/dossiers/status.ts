/**
 * Dossier statuses: the national codes 1–10 (Circular 03/2025, the national public service portal's
 * list), plus 0 for an online draft the citizen has not submitted yet (internal; never shown publicly,
 * never counted in statistics).
 */
export const STATUS = {
  draft: 0,
  submitted: 1, // nộp trực tuyến, chờ tiếp nhận
  received: 2, // đã tiếp nhận
  refused: 3, // từ chối
  processing: 4, // đang xử lý
  supplementRequested: 5, // yêu cầu bổ sung
  awaitingFee: 6, // chờ thực hiện nghĩa vụ tài chính
  withdrawn: 7, // công dân rút hồ sơ
  stopped: 8, // dừng xử lý
  done: 9, // đã xử lý xong, chờ trả kết quả
  returned: 10, // đã trả kết quả
} as const;

export type StatusCode = (typeof STATUS)[keyof typeof STATUS];
export const STATUS_CODES = Object.values(STATUS) as StatusCode[];

export const STATUS_LABELS: Record<StatusCode, string> = {
  0: 'Bản nháp',
  1: 'Chờ tiếp nhận',
  2: 'Đã tiếp nhận',
  3: 'Từ chối',
  4: 'Đang xử lý',
  5: 'Yêu cầu bổ sung',
  6: 'Chờ thực hiện nghĩa vụ tài chính',
  7: 'Đã rút hồ sơ',
  8: 'Dừng xử lý',
  9: 'Đã xử lý xong, chờ trả kết quả',
  10: 'Đã trả kết quả',
};

/** Statuses where the dossier is finished: no clock, no queue. */
export const FINAL_STATUSES: readonly StatusCode[] = [STATUS.refused, STATUS.withdrawn, STATUS.stopped, STATUS.returned];

/** Statuses where the dossier has been received and its clock runs (or is paused, 5). */
export const OPEN_STATUSES: readonly StatusCode[] = [STATUS.received, STATUS.processing, STATUS.supplementRequested, STATUS.awaitingFee];

export const isStatusCode = (n: number): n is StatusCode => Number.isInteger(n) && n >= 0 && n <= 10;

export const CHANNELS = ['counter', 'online', 'post'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_LABELS: Record<Channel, string> = { counter: 'Trực tiếp', online: 'Trực tuyến', post: 'Bưu chính công ích' };

export const RETURN_METHODS = ['counter', 'post', 'online'] as const;
export type ReturnMethod = (typeof RETURN_METHODS)[number];
export const RETURN_METHOD_LABELS: Record<ReturnMethod, string> = {
  counter: 'Trả trực tiếp tại Bộ phận Một cửa',
  post: 'Trả qua dịch vụ bưu chính công ích',
  online: 'Trả trực tuyến (tải về)',
};
