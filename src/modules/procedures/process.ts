import { z } from 'zod';
import type { FieldError } from '../../core/errors/index.js';
import { durationLabel, workingHoursOf } from './duration.js';
import { type ProcedureRecord, timeLimitsOf, UNIT_LEVELS, type UnitLevel } from './record.js';
import { SHARE_KINDS, STEP_KINDS, STEP_UNIT_RULES } from './schema.js';

/** Roles that can hold a step of an internal process (see the directory's roles). */
export const STEP_ROLES = ['onestop_officer', 'specialist', 'leader', 'deputy_leader', 'clerk'] as const;

export type StepKind = (typeof STEP_KINDS)[number];
export type StepUnitRule = (typeof STEP_UNIT_RULES)[number];
export type StepRole = (typeof STEP_ROLES)[number];

/** One step of the internal process (quy trình nội bộ), in order. */
export type ProcessStep = {
  kind: StepKind;
  name: string;
  role: StepRole;
  unitRule: StepUnitRule;
  targetUnitId: string | null; // unitRule 'named_unit'
  targetLevel: UnitLevel | null; // unitRule 'level'
  shareKind: (typeof SHARE_KINDS)[number]; // working hours, or a fraction of the time limit
  shareValue: number;
};

export const processStepSchema = z.object({
  kind: z.enum(STEP_KINDS).describe('receive (tiếp nhận), review (thẩm định), approve (phê duyệt), transfer (chuyển liên thông), decide (cấp trên quyết định), return (trả kết quả)'),
  name: z.string().trim().min(1).max(300),
  role: z.enum(STEP_ROLES),
  unitRule: z.enum(STEP_UNIT_RULES).describe('receiving_unit, receiving_department (phòng chuyên môn của nơi tiếp nhận), deciding_unit (liên thông), named_unit, level'),
  targetUnitId: z.string().uuid().nullish(),
  targetLevel: z.enum(UNIT_LEVELS).nullish(),
  shareKind: z.enum(SHARE_KINDS),
  shareValue: z.number().positive().max(10_000),
});
export const processInputSchema = z.array(processStepSchema).max(30);

export const normalizeProcess = (steps: z.output<typeof processInputSchema>): ProcessStep[] =>
  steps.map((s) => ({
    kind: s.kind,
    name: s.name.normalize('NFC'),
    role: s.role,
    unitRule: s.unitRule,
    targetUnitId: s.unitRule === 'named_unit' ? (s.targetUnitId?.toLowerCase() ?? null) : null,
    targetLevel: s.unitRule === 'level' ? (s.targetLevel ?? null) : null,
    shareKind: s.shareKind,
    shareValue: s.shareValue,
  }));

const EPSILON = 1e-9;
const hours = (n: number) => `${Math.round(n * 100) / 100} giờ làm việc`;

/**
 * What is wrong with a process for a record: shape (receive first, return last, a transfer and a
 * deciding step exactly when the procedure is two-level, targets named) and time (the shares fit
 * every time limit that applies: a share in hours counts as is, a fraction as that part of the limit).
 * An empty process is allowed (not configured yet); dossiers then need one before processing.
 */
export function processProblems(steps: ProcessStep[], record: ProcedureRecord): FieldError[] {
  const out: FieldError[] = [];
  if (steps.length === 0) return out;
  const at = (i: number, message: string, key = '') => out.push({ field: `process.${i}${key}`, message });
  if (steps.length < 2) out.push({ field: 'process', message: 'Quy trình cần ít nhất bước tiếp nhận và bước trả kết quả.' });
  if (steps[0].kind !== 'receive') at(0, 'Bước đầu tiên phải là tiếp nhận hồ sơ.', '.kind');
  if (steps[steps.length - 1].kind !== 'return') at(steps.length - 1, 'Bước cuối cùng phải là trả kết quả.', '.kind');
  steps.forEach((s, i) => {
    if (s.unitRule === 'named_unit' && !s.targetUnitId) at(i, 'Chọn đơn vị thực hiện bước này.', '.targetUnitId');
    if (s.unitRule === 'level' && !s.targetLevel) at(i, 'Chọn cấp thực hiện bước này.', '.targetLevel');
    if (s.unitRule === 'deciding_unit' && !record.twoLevel) at(i, 'Chỉ thủ tục liên thông hai cấp mới có đơn vị quyết định.', '.unitRule');
    if (s.kind === 'transfer' && !record.twoLevel) at(i, 'Chỉ thủ tục liên thông hai cấp mới có bước chuyển liên thông.', '.kind');
    if (s.shareKind === 'fraction' && s.shareValue > 1) at(i, 'Tỷ lệ thời gian phải trong khoảng (0, 1].', '.shareValue');
  });
  if (record.twoLevel) {
    const transfer = steps.findIndex((s) => s.kind === 'transfer');
    const deciding = steps.findIndex((s) => s.unitRule === 'deciding_unit' || (s.unitRule === 'level' && s.targetLevel === record.twoLevel!.decidingLevel));
    if (transfer < 0) out.push({ field: 'process', message: 'Thủ tục liên thông hai cấp cần bước chuyển hồ sơ lên cấp quyết định.' });
    if (deciding < 0) out.push({ field: 'process', message: 'Thủ tục liên thông hai cấp cần ít nhất một bước do cấp quyết định thực hiện.' });
    if (transfer >= 0 && deciding >= 0 && deciding < transfer) out.push({ field: 'process', message: 'Bước của cấp quyết định phải sau bước chuyển liên thông.' });
  }
  const hourSum = steps.filter((s) => s.shareKind === 'hours').reduce((a, s) => a + s.shareValue, 0);
  const fractionSum = steps.filter((s) => s.shareKind === 'fraction').reduce((a, s) => a + s.shareValue, 0);
  if (fractionSum > 1 + EPSILON) out.push({ field: 'process', message: `Tổng tỷ lệ thời gian các bước là ${Math.round(fractionSum * 1000) / 1000}, vượt quá toàn bộ thời hạn (1).` });
  for (const limit of timeLimitsOf(record)) {
    const limitHours = workingHoursOf(limit);
    if (limitHours === null) {
      if (hourSum > 0) out.push({ field: 'process', message: `Thời hạn "${durationLabel(limit)}" tính theo ngày lịch: hãy phân bổ thời gian các bước theo tỷ lệ.` });
      continue;
    }
    const total = hourSum + fractionSum * limitHours;
    if (total > limitHours + EPSILON) {
      out.push({ field: 'process', message: `Tổng thời gian các bước (${hours(total)}) vượt thời hạn "${durationLabel(limit)}" (${hours(limitHours)}).` });
    }
  }
  return dedupe(out);
}

function dedupe(list: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const k = `${e.field}|${e.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Working hours a step may take for a given limit (fractions resolved), null for calendar-day limits. */
export function stepHours(step: Pick<ProcessStep, 'shareKind' | 'shareValue'>, limitHours: number | null): number | null {
  if (step.shareKind === 'hours') return step.shareValue;
  return limitHours === null ? null : step.shareValue * limitHours;
}
