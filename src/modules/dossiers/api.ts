import { z } from 'zod';
import { credentialSchema } from '../signing/index.js';
import { BOXES } from './lists.js';
import { CHANNELS, RETURN_METHODS } from './status.js';
import { ACTIONS, FORM_NUMBERS } from './transitions.js';

/** JSON shapes of the dossiers API (validated in and out, published in OpenAPI). */

const ts = z.string().describe('ISO 8601 date-time');
const id = z.string().max(100);
const text = (max: number) => z.string().max(max);

export const applicantSchema = z.object({ name: z.string(), idNumber: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable(), address: z.string().nullable() });

export const applicantInputSchema = z
  .object({
    citizenId: id.nullish().describe('Tài khoản công dân đã tìm thấy (GET /api/dossiers/applicants?idNumber=)'),
    name: text(200).nullish(),
    idNumber: text(20).nullish().describe('Số CCCD (12 chữ số)'),
    phone: text(30).nullish(),
    email: text(254).nullish(),
    address: text(500).nullish(),
  })
  .describe('Người nộp hồ sơ: công dân đã đăng ký (citizenId) hoặc ghi trực tiếp; công dân nộp trực tuyến: lấy từ tài khoản, chỉ bổ sung liên hệ');

const checklistInput = z.array(z.object({ index: z.number().int().min(0).max(100), fileIds: z.array(id).max(50).default([]) })).max(60);

export const createBodySchema = z.object({
  procedureId: id,
  caseId: text(40).nullish().describe('Mã trường hợp (key) của thủ tục'),
  channel: z.enum(CHANNELS).describe('counter (trực tiếp), post (bưu chính) — cán bộ; online — công dân'),
  unitId: id.nullish().describe('Cơ quan tiếp nhận (mặc định: đơn vị của cán bộ; bắt buộc với hồ sơ trực tuyến)'),
  applicant: applicantInputSchema.default({}),
  fileIds: z.array(id).max(50).default([]).describe('Tệp khác (tải lên qua POST /api/files); ảnh được ghép thành một PDF'),
  documents: checklistInput.optional().describe('Danh mục giấy tờ đã kiểm tra: chỉ số giấy tờ trong trường hợp và tệp quét (PDF hoặc ảnh)'),
  returnMethod: z.enum(RETURN_METHODS).nullish().describe('Hình thức nhận kết quả đăng ký khi nộp'),
  formData: z.record(z.string(), z.unknown()).nullish().describe('Nội dung tờ khai trực tuyến'),
  draft: z.boolean().optional().describe('Công dân: lưu nháp (chưa nộp)'),
  note: text(2000).nullish(),
});

export const draftBodySchema = createBodySchema.pick({ caseId: true, unitId: true, applicant: true, fileIds: true, documents: true, returnMethod: true, formData: true }).partial();

export const actionBodySchema = z.object({
  reason: text(4000).nullish().describe('Lý do (bắt buộc khi từ chối, yêu cầu bổ sung, xin lỗi, dừng, rút hồ sơ); người nộp xem được'),
  seal: z
    .object({ credentialId: id, pin: text(200).nullish(), otp: text(200).nullish() })
    .nullish()
    .describe('Hoàn thành: đóng dấu điện tử kết quả (PDF) bằng chứng thư số của cơ quan giải quyết hồ sơ (GET /api/dossiers/{id}/seal-options), mã PIN hoặc OTP'),
  note: text(4000).nullish().describe('Ghi chú nội bộ (không công khai)'),
  toUserId: id.nullish().describe('Chuyển cho cán bộ (forward, transfer, approve)'),
  toUnitId: id.nullish().describe('Chuyển cho đơn vị'),
  items: z.array(text(1000)).max(50).optional().describe('Yêu cầu bổ sung: từng giấy tờ, nội dung cần bổ sung'),
  deadline: ts.nullish().describe('Yêu cầu bổ sung: hạn nộp bổ sung (mặc định 5 ngày làm việc)'),
  newDueAt: ts.nullish().describe('Xin lỗi: ngày hẹn trả mới'),
  fileIds: z.array(id).max(50).optional().describe('Bổ sung: giấy tờ bổ sung; hoàn thành: văn bản kết quả'),
  documents: checklistInput.optional(),
  method: z.enum(RETURN_METHODS).nullish().describe('Trả kết quả: tại quầy, bưu chính, trực tuyến'),
  feeAmount: z.number().int().min(1).max(2_000_000_000).nullish().describe('Yêu cầu thực hiện nghĩa vụ tài chính: số tiền phải nộp (đồng), khi đặt hoặc điều chỉnh; lý do mô tả nghĩa vụ'),
});

export const actionParams = z.object({ id, action: z.enum(ACTIONS) });
export const formParams = z.object({ id, file: z.enum(FORM_NUMBERS.map((n) => `${n}.pdf`) as [string, ...string[]]).describe('01.pdf … 06.pdf') });

const historySchema = z.object({
  id: z.string(), seq: z.number().int(), at: ts, action: z.string(), label: z.string(), fromStatus: z.number().int().nullable(), toStatus: z.number().int(),
  actorName: z.string().nullable(), actorKind: z.string(), unitName: z.string(), stepName: z.string().nullable(), toUserName: z.string().nullable(), toUnitName: z.string().nullable(),
  stepDueAt: ts.nullable(), stepOutcome: z.string().nullable().describe('early | on_time | late (bước vừa kết thúc)'), reason: z.string().nullable(), note: z.string().nullable(),
  formNumber: z.string().nullable(), detail: z.record(z.string(), z.unknown()).nullable(),
});

const dueStateSchema = z.enum(['none', 'on_track', 'due_soon', 'overdue', 'paused', 'early', 'on_time', 'late']);

export const dossierDetailSchema = z.object({
  id: z.string(),
  code: z.string().nullable().describe('Mã hồ sơ <mã định danh>-<yyMMdd>-<NNNN>, có khi được tiếp nhận'),
  statusCode: z.number().int().describe('Mã trạng thái quốc gia 1–10 (0 = bản nháp)'),
  status: z.string(),
  channel: z.enum(CHANNELS),
  unitId: z.string(), unitName: z.string(), currentUnitId: z.string(), currentUnitName: z.string(),
  procedure: z.object({ id: z.string(), versionId: z.string(), code: z.string(), name: z.string(), version: z.number().int(), caseKey: z.string().nullable(), caseName: z.string().nullable(), twoLevel: z.boolean() }),
  applicant: applicantSchema,
  applicantUserId: z.string().nullable(),
  submittedAt: ts.nullable(), acceptBy: ts.nullable().describe('Hạn tiếp nhận hồ sơ trực tuyến (8 giờ làm việc)'), receivedAt: ts.nullable(),
  firstDueAt: ts.nullable(), dueAt: ts.nullable(), timeLimitLabel: z.string().nullable(), dueState: dueStateSchema,
  pausedAt: ts.nullable(), supplementDeadline: ts.nullable(), apologizedAt: ts.nullable(),
  step: z.object({ position: z.number().int(), kind: z.string(), name: z.string(), role: z.string(), startedAt: ts.nullable(), dueAt: ts.nullable() }).nullable(),
  holder: z.object({ userId: z.string().nullable(), userName: z.string().nullable(), unitId: z.string().nullable(), unitName: z.string().nullable(), role: z.string().nullable() }).nullable(),
  process: z.array(z.object({ position: z.number().int(), kind: z.string(), name: z.string(), role: z.string(), current: z.boolean() })),
  approvedAt: ts.nullable(), completedAt: ts.nullable(), returnedAt: ts.nullable(), closedAt: ts.nullable(),
  returnMethod: z.enum(RETURN_METHODS).nullable(), resultFileId: z.string().nullable(),
  result: z
    .object({
      fileId: z.string(), name: z.string(),
      sealed: z.boolean().describe('Kết quả đã được đóng dấu điện tử (chữ ký số của cơ quan)'),
      seal: z.object({ agencyId: z.string(), agencyName: z.string(), at: ts, valid: z.boolean(), verdict: z.string(), level: z.string().nullable(), actorName: z.string().nullable() }).nullable().describe('Con dấu điện tử: cơ quan, thời điểm, kết quả kiểm tra chữ ký khi đóng dấu'),
      sourceFileId: z.string().nullable().describe('Bản chưa đóng dấu (chỉ cán bộ)'),
      onlineUnsealed: z.boolean().describe('Trả trực tuyến nhưng chưa đóng dấu: bản tải về không phải bản điện tử có giá trị pháp lý'),
      downloadable: z.boolean().describe('Người nộp tải được kết quả (đã xử lý xong/đã trả, nhận trực tuyến)'),
    })
    .nullable()
    .describe('Kết quả giải quyết (công dân chỉ thấy khi tải được)'),
  fee: z.object({ amount: z.number().int().nullable(), label: z.string().nullable() }),
  formData: z.record(z.string(), z.unknown()).nullable(),
  checklist: z.array(z.object({ index: z.number().int(), name: z.string(), required: z.boolean(), originals: z.number().int(), copies: z.number().int(), provided: z.boolean(), files: z.array(z.object({ fileId: z.string(), name: z.string(), kind: z.string() })) })),
  files: z.array(z.object({ id: z.string(), fileId: z.string(), kind: z.string(), documentIndex: z.number().int().nullable(), documentName: z.string().nullable(), name: z.string(), contentType: z.string(), size: z.number(), addedAt: ts, addedByName: z.string().nullable() })),
  history: z.array(historySchema),
  forms: z.array(z.object({ number: z.enum(FORM_NUMBERS as unknown as [string, ...string[]]), actionId: z.string().nullable(), at: ts })),
  allowedActions: z.array(z.enum(ACTIONS)),
  createdAt: ts, updatedAt: ts,
});

export const dossierItemSchema = z.object({
  id: z.string(), code: z.string().nullable(), statusCode: z.number().int(), status: z.string(), channel: z.string(),
  procedureCode: z.string(), procedureName: z.string(), applicantName: z.string(), unitId: z.string(), unitName: z.string(), currentUnitName: z.string(),
  submittedAt: ts.nullable(), acceptBy: ts.nullable(), receivedAt: ts.nullable(), dueAt: ts.nullable(), stepName: z.string().nullable(), stepDueAt: ts.nullable(),
  holderName: z.string().nullable(), dueState: dueStateSchema, acceptOverdue: z.boolean().describe('Hồ sơ trực tuyến quá 8 giờ làm việc chưa được tiếp nhận'), createdAt: ts,
});

export const listQuerySchema = z.object({
  box: z.enum(BOXES).default('all'),
  status: z.coerce.number().int().min(0).max(10).optional(),
  q: z.string().max(200).optional(),
  overdue: z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const publicDossierSchema = z.object({
  code: z.string(), status: z.string(), statusCode: z.number().int(), procedure: z.string(), procedureCode: z.string(), unit: z.string(),
  applicantName: z.string().describe('Họ tên đã che, ví dụ "Nguyễn V*** A**"'),
  receivedAt: ts.nullable(), dueAt: ts.nullable(), returnedAt: ts.nullable(),
  history: z.array(z.object({ at: ts, action: z.string(), label: z.string(), statusCode: z.number().int(), status: z.string(), unit: z.string(), reason: z.string().nullable() })),
});

export const sealOptionsSchema = z.object({
  agency: z.object({ id: z.string(), name: z.string() }).describe('Cơ quan giải quyết: đơn vị đang giữ hồ sơ (hoặc UBND/sở chứa nó)'),
  credentials: z.array(credentialSchema).describe('Chứng thư số (con dấu điện tử) dùng được của cơ quan'),
  required: z.boolean().describe('Hồ sơ nhận kết quả trực tuyến và cấu hình bắt buộc đóng dấu'),
});

export const countsSchema = z.object({ mine: z.number().int(), unit: z.number().int(), desk: z.number().int(), deskOverdue: z.number().int(), return: z.number().int() });

export const foundApplicantSchema = z.object({ found: z.object({ source: z.enum(['citizen', 'dossier']), citizenId: z.string().nullable(), applicant: applicantSchema }).nullable() });

export const targetsSchema = z.object({
  step: z.object({ position: z.number().int(), kind: z.string(), name: z.string(), role: z.string() }).nullable(),
  unit: z.object({ id: z.string(), name: z.string() }).nullable(),
  people: z.array(z.object({ id: z.string(), fullName: z.string(), positionTitle: z.string().nullable(), unitId: z.string(), unitName: z.string() })),
});
