import { z } from 'zod';
import { type Duration, durationSchema } from './duration.js';
import { type Fee, feeSchema } from './fees.js';

/** The national record's fields of one procedure version, as stored (jsonb) and exchanged (API, import/export). */
export const UNIT_LEVELS = ['central', 'province', 'district', 'commune'] as const;
export const UNIT_KINDS = ['people_committee', 'department', 'office', 'onestop_desk', 'division', 'other'] as const;
export const APPLICANTS = ['citizen', 'business', 'organization'] as const; // công dân / doanh nghiệp / tổ chức
export const CHANNELS = ['in_person', 'online', 'post'] as const; // trực tiếp / trực tuyến / bưu chính công ích

export type UnitLevel = (typeof UNIT_LEVELS)[number];
export type Channel = (typeof CHANNELS)[number];

export type RequiredDocument = {
  name: string;
  originals: number; // bản chính
  copies: number; // bản sao
  required: boolean;
  note?: string | null;
  template?: { fileId: string; name: string } | null; // mẫu đơn, tờ khai to download
};

export type ProcedureCase = {
  key: string; // stable within a version, e.g. 'th1'
  name: string; // trường hợp
  timeLimit?: Duration | null; // when this case has its own limit ("không quá 05 ngày làm việc nếu phải xác minh")
  documents: RequiredDocument[];
};

export type ChannelOffer = { channel: Channel; timeLimit: Duration; fee: Fee; note?: string | null };

export type ProcedureRecord = {
  executing: { levels: UnitLevel[]; kinds: (typeof UNIT_KINDS)[number][]; unitIds: string[]; note?: string | null }; // cơ quan thực hiện
  applicants: (typeof APPLICANTS)[number][];
  steps: string; // trình tự thực hiện
  channels: ChannelOffer[];
  cases: ProcedureCase[];
  result: string;
  legalBasis: string;
  conditions: string | null;
  // Liên thông hai cấp: the commune receives, the province decides.
  twoLevel: { receivingLevel: UnitLevel; decidingLevel: UnitLevel; decidingUnitId: string | null } | null;
};

const text = (max: number) => z.string().trim().min(1).max(max);
const uuidLike = z.string().uuid();

export const requiredDocumentSchema = z.object({
  name: text(1000),
  originals: z.number().int().min(0).max(20),
  copies: z.number().int().min(0).max(20),
  required: z.boolean(),
  note: z.string().trim().max(1000).nullish(),
  template: z.object({ fileId: uuidLike, name: text(200) }).nullish().describe('Mẫu đơn, tờ khai (tệp tải lên qua /api/files)'),
});

export const caseSchema = z.object({
  key: z.string().trim().regex(/^[a-z0-9-]{1,20}$/, 'Chỉ chữ thường không dấu, số và dấu gạch ngang.').optional().describe('Mã trường hợp; tự đặt th1, th2… nếu bỏ trống'),
  name: text(500),
  timeLimit: durationSchema.nullish(),
  documents: z.array(requiredDocumentSchema).max(60),
});

export const channelSchema = z.object({ channel: z.enum(CHANNELS), timeLimit: durationSchema, fee: feeSchema, note: z.string().trim().max(500).nullish() });

/** The record as clients send it (keys of cases optional, filled by `normalizeRecord`). */
export const recordInputSchema = z.object({
  executing: z.object({
    levels: z.array(z.enum(UNIT_LEVELS)).max(4).default([]),
    kinds: z.array(z.enum(UNIT_KINDS)).max(6).default([]),
    unitIds: z.array(uuidLike).max(500).default([]),
    note: z.string().trim().max(1000).nullish(),
  }),
  applicants: z.array(z.enum(APPLICANTS)).min(1).max(3),
  steps: text(20_000),
  channels: z.array(channelSchema).min(1).max(3),
  cases: z.array(caseSchema).min(1).max(30),
  result: text(2000),
  legalBasis: text(20_000),
  conditions: z.string().trim().max(20_000).nullish(),
  twoLevel: z.object({ receivingLevel: z.enum(UNIT_LEVELS), decidingLevel: z.enum(UNIT_LEVELS), decidingUnitId: uuidLike.nullish() }).nullish(),
});
export type RecordInput = z.input<typeof recordInputSchema>;

const nfc = (s: string) => s.normalize('NFC').trim();

/** A key for the i-th case without one: th<n>, the first n from i + 1 that no case uses. */
function freeKey(keys: (string | undefined)[], i: number): string {
  const missingBefore = keys.slice(0, i).filter((k) => k === undefined).length;
  let n = 0;
  let found = -1;
  while (found < missingBefore) {
    n++;
    if (!keys.includes(`th${n}`)) found++;
  }
  return `th${Math.max(n, 1)}`;
}
const nfcOrNull = (s: string | null | undefined) => (s == null || !s.trim() ? null : nfc(s));

/** Stored form: NFC text, case keys filled in, no undefined. */
export function normalizeRecord(r: z.output<typeof recordInputSchema>): ProcedureRecord {
  return {
    executing: { levels: [...new Set(r.executing.levels)], kinds: [...new Set(r.executing.kinds)], unitIds: [...new Set(r.executing.unitIds)], note: nfcOrNull(r.executing.note) },
    applicants: [...new Set(r.applicants)],
    steps: nfc(r.steps),
    channels: r.channels.map((c) => ({ channel: c.channel, timeLimit: c.timeLimit, fee: normalizeFee(c.fee), note: nfcOrNull(c.note) })),
    cases: r.cases.map((c, i) => ({
      key: c.key ?? freeKey(r.cases.map((x) => x.key), i),
      name: nfc(c.name),
      timeLimit: c.timeLimit ?? null,
      documents: c.documents.map((d) => ({
        name: nfc(d.name),
        originals: d.originals,
        copies: d.copies,
        required: d.required,
        note: nfcOrNull(d.note),
        template: d.template ? { fileId: d.template.fileId.toLowerCase(), name: nfc(d.template.name) } : null,
      })),
    })),
    result: nfc(r.result),
    legalBasis: nfc(r.legalBasis),
    conditions: nfcOrNull(r.conditions),
    twoLevel: r.twoLevel ? { receivingLevel: r.twoLevel.receivingLevel, decidingLevel: r.twoLevel.decidingLevel, decidingUnitId: r.twoLevel.decidingUnitId ?? null } : null,
  };
}

function normalizeFee(f: Fee): Fee {
  const note = nfcOrNull(f.note);
  if (f.kind === 'free') return { kind: 'free', note };
  if (f.kind === 'fixed') return { kind: 'fixed', amount: f.amount, per: nfcOrNull(f.per), note };
  return { kind: 'tiered', unit: nfc(f.unit), tiers: f.tiers.map((t) => ({ from: t.from, price: t.price })), maxPerItem: f.maxPerItem ?? null, per: nfcOrNull(f.per), note };
}

/** Rules the schema cannot say alone; each problem names its field. */
export function recordProblems(r: ProcedureRecord): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  const channels = r.channels.map((c) => c.channel);
  channels.forEach((c, i) => {
    if (channels.indexOf(c) !== i) out.push({ field: `record.channels.${i}.channel`, message: 'Mỗi cách thức thực hiện chỉ khai một lần.' });
  });
  const keys = r.cases.map((c) => c.key);
  keys.forEach((k, i) => {
    if (keys.indexOf(k) !== i) out.push({ field: `record.cases.${i}.key`, message: `Mã trường hợp "${k}" bị trùng.` });
  });
  r.cases.forEach((c, i) =>
    c.documents.forEach((d, j) => {
      if (d.originals + d.copies === 0) out.push({ field: `record.cases.${i}.documents.${j}`, message: 'Thành phần hồ sơ phải có ít nhất một bản chính hoặc bản sao.' });
    }),
  );
  if (r.executing.levels.length + r.executing.kinds.length + r.executing.unitIds.length === 0) {
    out.push({ field: 'record.executing', message: 'Chưa khai cơ quan thực hiện (cấp, loại đơn vị hoặc đơn vị cụ thể).' });
  }
  if (r.twoLevel && r.twoLevel.receivingLevel === r.twoLevel.decidingLevel) {
    out.push({ field: 'record.twoLevel', message: 'Thủ tục liên thông hai cấp: cấp tiếp nhận và cấp quyết định phải khác nhau.' });
  }
  return out;
}

/** Form template files referenced by the record. */
export const formFileIdsOf = (r: ProcedureRecord): string[] => [...new Set(r.cases.flatMap((c) => c.documents.flatMap((d) => (d.template ? [d.template.fileId] : []))))];

/** Every time limit that applies (channels and cases with their own limit). */
export const timeLimitsOf = (r: ProcedureRecord): Duration[] => [...r.channels.map((c) => c.timeLimit), ...r.cases.flatMap((c) => (c.timeLimit ? [c.timeLimit] : []))];
