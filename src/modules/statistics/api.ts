import { z } from 'zod';
import { isUuid } from '../../core/ids/index.js';
import { GROUPINGS } from './service.js';

/** HTTP shapes of the one-stop statistics (OpenAPI → the web client's types). */

const isRealDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày phải có dạng yyyy-MM-dd').refine(isRealDate, 'Ngày không tồn tại');

/** Longest period asked at once (five years). */
export const MAX_PERIOD_DAYS = 5 * 366;

export const statisticsQuerySchema = z
  .object({
    unitId: z.string().max(100).refine(isUuid, 'Đơn vị không hợp lệ').optional().describe('Đơn vị (gồm các đơn vị trực thuộc); mặc định: đơn vị cao nhất người dùng được xem'),
    from: day.optional().describe('Từ ngày (yyyy-MM-dd, giờ Việt Nam); mặc định: đầu tháng này'),
    to: day.optional().describe('Đến ngày (yyyy-MM-dd, gồm cả ngày này); mặc định: cuối tháng này'),
    groupBy: z.enum(GROUPINGS).default('unit').describe('unit: theo đơn vị tiếp nhận; procedure: theo thủ tục; officer: theo cán bộ'),
    format: z.enum(['json', 'xlsx']).default('json').describe('xlsx: tệp Excel gồm cả ba cách nhóm (được ghi nhật ký)'),
  })
  .superRefine((v, ctx) => {
    if ((v.from === undefined) !== (v.to === undefined)) ctx.addIssue({ code: 'custom', path: [v.from ? 'to' : 'from'], message: 'Chọn cả ngày bắt đầu và ngày kết thúc' });
    if (v.from && v.to && v.from > v.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Ngày kết thúc phải sau hoặc bằng ngày bắt đầu' });
    if (v.from && v.to && (Date.parse(v.to) - Date.parse(v.from)) / 86_400_000 >= MAX_PERIOD_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Kỳ thống kê dài tối đa 5 năm' });
  });

const count = z.number().int();
const rate = z.number().nullable();
export const figuresShape = {
  carriedOver: count.describe('Kỳ trước chuyển sang: tiếp nhận trước kỳ, chưa giải quyết xong khi kỳ bắt đầu'),
  received: count.describe('Tiếp nhận trong kỳ'),
  receivedCounter: count.describe('… trực tiếp'),
  receivedOnline: count.describe('… trực tuyến'),
  receivedPost: count.describe('… qua bưu chính công ích'),
  done: count.describe('Đã giải quyết trong kỳ (có kết quả; hồ sơ đã trả tính theo ngày có kết quả)'),
  doneEarly: count.describe('… trước hạn (ngày có kết quả < ngày hẹn)'),
  doneOnTime: count.describe('… đúng hạn (= ngày hẹn, hoặc không có hạn)'),
  doneLate: count.describe('… quá hạn (> ngày hẹn; ngày hẹn trước khi xin lỗi hẹn lại)'),
  refused: count.describe('Từ chối giải quyết trong kỳ'),
  withdrawn: count.describe('Công dân rút hồ sơ trong kỳ'),
  stopped: count.describe('Dừng xử lý trong kỳ'),
  inProcess: count.describe('Đang giải quyết cuối kỳ'),
  inProcessOverdue: count.describe('… trong đó đã quá hạn (không tính hồ sơ đang chờ bổ sung)'),
  supplementRequested: count.describe('Hồ sơ được yêu cầu bổ sung trong kỳ'),
  notAccepted: count.describe('Hồ sơ trực tuyến bị từ chối tiếp nhận trong kỳ (không thuộc số tiếp nhận)'),
  onTimeRate: rate.describe('(trước hạn + đúng hạn) / đã giải quyết, 0–1; null nếu chưa giải quyết hồ sơ nào'),
  onlineRate: rate.describe('trực tuyến / tiếp nhận trong kỳ, 0–1; null nếu chưa tiếp nhận hồ sơ nào'),
};
const unitSatisfaction = z.object({ unitId: z.string().nullable(), ratings: count, satisfiedShare: rate, averageShare: rate });

export const statisticsSchema = z.object({
  unit: z.object({ id: z.string(), name: z.string() }),
  from: z.string(),
  to: z.string(),
  asOf: z.string().describe('Thời điểm số liệu: cuối kỳ, hoặc hiện tại nếu kỳ chưa kết thúc'),
  groupBy: z.enum(GROUPINGS),
  totals: z.object(figuresShape),
  byUnit: z.array(z.object({ unitId: z.string(), unitName: z.string(), ...figuresShape })).describe('groupBy=unit'),
  byProcedure: z.array(z.object({ procedureId: z.string(), procedureCode: z.string(), procedureName: z.string(), field: z.string().nullable(), ...figuresShape })).describe('groupBy=procedure'),
  byOfficer: z
    .array(z.object({
      userId: z.string(), fullName: z.string(), unitName: z.string().nullable(), received: count.describe('Hồ sơ đã tiếp nhận'), steps: count.describe('Bước xử lý đã hoàn thành'),
      stepsEarly: count, stepsOnTime: count, stepsLate: count, onTimeRate: rate,
    }))
    .describe('groupBy=officer (theo nhật ký xử lý, phiếu kiểm soát quá trình)'),
  satisfaction: z.object({ overall: unitSatisfaction, byUnit: z.array(unitSatisfaction) }).describe('Đánh giá mức độ hài lòng trong kỳ của hồ sơ do đơn vị tiếp nhận (cổng dịch vụ công)'),
});
