import { z } from 'zod';
import { processInputSchema } from './process.js';
import { recordInputSchema, UNIT_LEVELS } from './record.js';
import { ONLINE_LEVELS } from './schema.js';

/** Input shapes shared by the HTTP routes and the catalogue import. */
export const CODE_PATTERN = /^[0-9A-Z][0-9A-Z.-]{2,39}$/;
export const normalizeCode = (s: string): string => s.normalize('NFC').trim().toUpperCase();

export const effectiveSchema = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/, 'Ngày hiệu lực dạng yyyy-MM-dd hoặc ISO 8601.')
  .describe('Ngày có hiệu lực: yyyy-MM-dd (từ 00:00 giờ Việt Nam) hoặc thời điểm ISO 8601');

export const versionInputSchema = z.object({
  effectiveFrom: effectiveSchema.optional().describe('Mặc định: ngay bây giờ'),
  name: z.string().trim().min(1).max(1000),
  field: z.string().trim().min(1).max(200).describe('Lĩnh vực'),
  level: z.enum(UNIT_LEVELS).describe('Cấp thực hiện'),
  onlineLevel: z.enum(ONLINE_LEVELS).describe('Mức dịch vụ công trực tuyến: full (toàn trình), partial (một phần), none'),
  record: recordInputSchema,
  process: processInputSchema.optional().describe('Quy trình nội bộ; khi sửa mà bỏ trống thì giữ quy trình của phiên bản gốc'),
  changeNote: z.string().trim().max(1000).nullish(),
});
export type VersionInput = z.output<typeof versionInputSchema>;

export const codeSchema = z.string().trim().min(3).max(40).describe('Mã thủ tục trên Cơ sở dữ liệu quốc gia, ví dụ 1.001193');

export const createInputSchema = versionInputSchema.extend({
  code: codeSchema,
  ownerUnitId: z.string().uuid().nullish().describe('Đơn vị quản lý bản ghi; mặc định đơn vị của người tạo'),
});
export type CreateInput = z.output<typeof createInputSchema>;

export const editInputSchema = versionInputSchema.extend({
  baseVersionId: z.string().uuid().optional().describe('Phiên bản đã sửa; nếu đã có phiên bản mới hơn thì trả 409'),
});
export type EditInput = z.output<typeof editInputSchema>;

export const processEditSchema = z.object({
  steps: processInputSchema,
  effectiveFrom: effectiveSchema.optional(),
  changeNote: z.string().trim().max(1000).nullish(),
  baseVersionId: z.string().uuid().optional(),
});
export type ProcessEditInput = z.output<typeof processEditSchema>;

export const retireInputSchema = z.object({
  effectiveFrom: effectiveSchema.optional().describe('Bãi bỏ từ ngày; mặc định ngay bây giờ'),
  reason: z.string().trim().min(1).max(1000),
});
export type RetireInput = z.output<typeof retireInputSchema>;
