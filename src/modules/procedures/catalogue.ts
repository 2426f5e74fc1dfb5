import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { canAnywhere, type Principal } from '../../core/access/index.js';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { type FieldError, forbidden, unprocessable } from '../../core/errors/index.js';
import { newId } from '../../core/ids/index.js';
import { CODE_PATTERN, codeSchema, effectiveSchema, normalizeCode, versionInputSchema } from './inputs.js';
import { normalizeProcess, type ProcessStep } from './process.js';
import { findProcedure, listProcedureVersionsBrief, procedureVersions } from './read.js';
import { formFileIdsOf, normalizeRecord, type ProcedureRecord } from './record.js';
import { procedures } from './schema.js';
import { canManageProcedure } from './service.js';
import { contentOf, contentProblems, insertVersion, parseEffective, sameContent, type VersionContent } from './versions.js';

/**
 * The whole catalogue as one JSON document. Units and form files are referred to by id; the `units`
 * and `files` tables let another deployment resolve them (by agency code, by SHA-256 of the content).
 */
export const catalogueSchema = z.object({
  format: z.literal('lienthong-procedures'),
  formatVersion: z.literal(1),
  exportedAt: z.string().optional(),
  units: z.array(z.object({ id: z.string().uuid(), agencyCode: z.string().nullable(), name: z.string() })).max(20_000).default([]),
  files: z.array(z.object({ id: z.string().uuid(), sha256: z.string().regex(/^[0-9a-f]{64}$/), name: z.string() })).max(20_000).default([]),
  procedures: z
    .array(
      z.object({
        code: codeSchema,
        ownerUnitId: z.string().uuid(),
        retired: z.object({ from: effectiveSchema, reason: z.string().trim().min(1).max(1000) }).nullish(),
        versions: z
          .array(versionInputSchema.extend({ version: z.number().int().min(1).max(100_000), effectiveFrom: effectiveSchema, process: versionInputSchema.shape.process.unwrap().default([]) }))
          .min(1)
          .max(1000),
      }),
    )
    .max(20_000),
});
export type Catalogue = z.output<typeof catalogueSchema>;
type CatalogueVersion = Catalogue['procedures'][number]['versions'][number];

/** Everything in the catalogue: every procedure (retired too) with every version, oldest first. */
export async function exportCatalogue(db: Db, p: Principal, now: Date): Promise<z.input<typeof catalogueSchema>> {
  if (!canAnywhere(p, 'procedure.manage')) throw forbidden('Chỉ người quản lý danh mục thủ tục được xuất toàn bộ danh mục.');
  const procs = await queryRows<{ id: string; code: string; unit_id: string; retired_from: Date | string | null; retire_reason: string | null }>(
    db,
    sql`SELECT id, code, unit_id, retired_from, retire_reason FROM procedures ORDER BY code`,
  );
  const out: z.input<typeof catalogueSchema>['procedures'] = [];
  const unitIds = new Set<string>();
  const fileIds = new Set<string>();
  for (const pr of procs) {
    unitIds.add(pr.unit_id);
    const versions = (await procedureVersions(db, pr.id)).reverse();
    out.push({
      code: pr.code,
      ownerUnitId: pr.unit_id,
      retired: pr.retired_from ? { from: new Date(pr.retired_from).toISOString(), reason: pr.retire_reason ?? '' } : null,
      versions: versions.map((v) => {
        const c = contentOf(v);
        refsOf(c).units.forEach((u) => unitIds.add(u));
        formFileIdsOf(c.record).forEach((f) => fileIds.add(f));
        return { version: v.version, effectiveFrom: v.effectiveFrom, name: c.name, field: c.field, level: c.level, onlineLevel: c.onlineLevel, changeNote: c.changeNote, record: c.record, process: c.process };
      }),
    });
  }
  const list = (ids: Set<string>) => sql.join([...ids].map((id) => sql`${id}`), sql`, `);
  const units = unitIds.size ? await queryRows<{ id: string; agencyCode: string | null; name: string }>(db, sql`SELECT id, agency_code AS "agencyCode", name FROM units WHERE id IN (${list(unitIds)}) ORDER BY name`) : [];
  const files = fileIds.size ? await queryRows<{ id: string; sha256: string; name: string }>(db, sql`SELECT id, sha256, name FROM files WHERE id IN (${list(fileIds)}) ORDER BY name`) : [];
  return { format: 'lienthong-procedures', formatVersion: 1, exportedAt: now.toISOString(), units, files, procedures: out };
}

function refsOf(c: Pick<VersionContent, 'record' | 'process'>): { units: string[] } {
  return {
    units: [
      ...c.record.executing.unitIds,
      ...(c.record.twoLevel?.decidingUnitId ? [c.record.twoLevel.decidingUnitId] : []),
      ...c.process.flatMap((s) => (s.targetUnitId ? [s.targetUnitId] : [])),
    ],
  };
}

/** Unit and file ids of the file, mapped to this deployment's (same id, else same agency code / same content). */
async function resolver(db: Db, cat: Catalogue): Promise<{ unit: (id: string) => string; file: (id: string) => string }> {
  const unitMap = new Map<string, string>();
  const fileMap = new Map<string, string>();
  for (const u of cat.units) {
    const [byId] = await queryRows<{ id: string }>(db, sql`SELECT id FROM units WHERE id = ${u.id}`);
    const [byCode] = !byId && u.agencyCode ? await queryRows<{ id: string }>(db, sql`SELECT id FROM units WHERE agency_code = ${u.agencyCode}`) : [];
    if (byId ?? byCode) unitMap.set(u.id, (byId ?? byCode).id);
  }
  for (const f of cat.files) {
    const [byId] = await queryRows<{ id: string }>(db, sql`SELECT id FROM files WHERE id = ${f.id}`);
    const [bySha] = !byId ? await queryRows<{ id: string }>(db, sql`SELECT id FROM files WHERE sha256 = ${f.sha256} ORDER BY created_at LIMIT 1`) : [];
    if (byId ?? bySha) fileMap.set(f.id, (byId ?? bySha).id);
  }
  return { unit: (id) => unitMap.get(id) ?? id, file: (id) => fileMap.get(id) ?? id };
}

function remap(record: ProcedureRecord, process: ProcessStep[], r: { unit: (id: string) => string; file: (id: string) => string }): { record: ProcedureRecord; process: ProcessStep[] } {
  return {
    record: {
      ...record,
      executing: { ...record.executing, unitIds: record.executing.unitIds.map(r.unit) },
      twoLevel: record.twoLevel ? { ...record.twoLevel, decidingUnitId: record.twoLevel.decidingUnitId ? r.unit(record.twoLevel.decidingUnitId) : null } : null,
      cases: record.cases.map((c) => ({ ...c, documents: c.documents.map((d) => ({ ...d, template: d.template ? { ...d.template, fileId: r.file(d.template.fileId) } : null })) })),
    },
    process: process.map((s) => ({ ...s, targetUnitId: s.targetUnitId ? r.unit(s.targetUnitId) : null })),
  };
}

function contentOfImport(v: CatalogueVersion, r: { unit: (id: string) => string; file: (id: string) => string }): VersionContent | null {
  const effectiveFrom = parseEffective(v.effectiveFrom);
  if (!effectiveFrom) return null;
  const mapped = remap(normalizeRecord(v.record), normalizeProcess(v.process), r);
  return {
    effectiveFrom, name: v.name.normalize('NFC').trim(), field: v.field.normalize('NFC').trim(), level: v.level, onlineLevel: v.onlineLevel,
    record: mapped.record, process: mapped.process, changeNote: v.changeNote?.normalize('NFC').trim() || null,
  };
}

export type ImportResult = { proceduresCreated: number; versionsAdded: number; versionsUnchanged: number; retired: number };

type Plan = { code: string; ownerUnitId: string; existingId: string | null; add: { version: number; content: VersionContent }[]; retire: { from: Date; reason: string } | null };

/**
 * Imports a catalogue file. Idempotent by code + version: a version already here with the same content
 * is skipped, one with other content is an error (versions are never changed). Everything is checked
 * first; nothing is written unless the whole file is valid (one 422 listing every problem).
 */
export async function importCatalogue(db: Db, p: Principal, cat: Catalogue, ctx: ActorContext): Promise<ImportResult> {
  if (!canAnywhere(p, 'procedure.manage')) throw forbidden('Chỉ người quản lý danh mục thủ tục được nhập danh mục.');
  const r = await resolver(db, cat);
  const errors: FieldError[] = [];
  const plans: Plan[] = [];
  const seenCodes = new Set<string>();
  let unchanged = 0;
  for (const [i, item] of cat.procedures.entries()) {
    const at = `procedures.${i}`;
    const code = normalizeCode(item.code);
    if (!CODE_PATTERN.test(code)) errors.push({ field: `${at}.code`, message: `Mã thủ tục "${item.code}" không hợp lệ.` });
    if (seenCodes.has(code)) errors.push({ field: `${at}.code`, message: `Mã thủ tục ${code} xuất hiện hai lần trong tệp.` });
    seenCodes.add(code);
    const existing = await findProcedure(db, { code });
    const ownerUnitId = existing?.unitId ?? r.unit(item.ownerUnitId);
    const [owner] = await queryRows<{ path: string }>(db, sql`SELECT path FROM units WHERE id = ${ownerUnitId}`);
    if (!owner) errors.push({ field: `${at}.ownerUnitId`, message: `Không có đơn vị quản lý ${item.ownerUnitId} (mã định danh không khớp đơn vị nào).` });
    else if (!canManageProcedure(p, { unitPath: owner.path })) errors.push({ field: `${at}`, message: `Bạn không có quyền quản lý thủ tục ${code}.` });
    const have = existing ? await listProcedureVersionsBrief(db, existing.id) : [];
    const plan: Plan = { code, ownerUnitId, existingId: existing?.id ?? null, add: [], retire: null };
    const seenVersions = new Set<number>();
    for (const [j, v] of item.versions.entries()) {
      const vat = `${at}.versions.${j}.`;
      if (seenVersions.has(v.version)) errors.push({ field: `${vat}version`, message: `Phiên bản ${v.version} xuất hiện hai lần.` });
      seenVersions.add(v.version);
      const content = contentOfImport(v, r);
      if (!content) {
        errors.push({ field: `${vat}effectiveFrom`, message: 'Ngày hiệu lực không hợp lệ.' });
        continue;
      }
      const problems = await contentProblems(db, content, vat);
      errors.push(...problems);
      const same = have.find((h) => h.version === v.version);
      if (same) {
        const stored = contentOf((await procedureVersions(db, existing!.id)).find((x) => x.id === same.id)!);
        if (sameContent(stored, content)) unchanged++;
        else errors.push({ field: `${vat}version`, message: `Thủ tục ${code} đã có phiên bản ${v.version} với nội dung khác; phiên bản đã có không sửa được, hãy dùng số phiên bản mới.` });
      } else if (!problems.length) plan.add.push({ version: v.version, content });
    }
    if (item.retired && !existing?.retiredFrom) {
      const from = parseEffective(item.retired.from);
      if (!from) errors.push({ field: `${at}.retired.from`, message: 'Ngày bãi bỏ không hợp lệ.' });
      else plan.retire = { from, reason: item.retired.reason.normalize('NFC') };
    }
    plans.push(plan);
    if (errors.length >= 200) break;
  }
  if (errors.length) throw unprocessable('Tệp danh mục không hợp lệ', `Không nhập gì: ${errors.length >= 200 ? 'ít nhất 200' : errors.length} lỗi, xem danh sách.`, errors.slice(0, 200));

  const result: ImportResult = { proceduresCreated: 0, versionsAdded: 0, versionsUnchanged: unchanged, retired: 0 };
  await inTransaction(db, async (tx) => {
    for (const plan of plans) {
      if (!plan.add.length && !plan.retire) continue;
      let id = plan.existingId;
      if (!id) {
        id = newId();
        await tx.insert(procedures).values({ id, code: plan.code, unitId: plan.ownerUnitId, createdBy: ctx.actorId, createdAt: ctx.now });
        result.proceduresCreated++;
      } else await tx.execute(sql`SELECT id FROM procedures WHERE id = ${id} FOR UPDATE`);
      for (const a of plan.add) await insertVersion(tx, { id, code: plan.code, unitId: plan.ownerUnitId }, a.version, a.content, ctx.actorId, ctx.now);
      if (plan.retire) {
        await tx.update(procedures).set({ retiredFrom: plan.retire.from, retiredBy: ctx.actorId, retireReason: plan.retire.reason }).where(eq(procedures.id, id));
        result.retired++;
      }
      result.versionsAdded += plan.add.length;
      await writeAudit(tx, ctx, {
        action: 'procedure.import', objectType: 'procedure', objectId: id, unitId: plan.ownerUnitId,
        summary: { code: plan.code, created: !plan.existingId, versionsAdded: plan.add.map((a) => a.version), retiredFrom: plan.retire?.from.toISOString() ?? null },
      });
    }
  });
  return result;
}
