import { sql, type SQL } from 'drizzle-orm';
import { type Db, queryRows } from '../../core/db/index.js';
import { notFound } from '../../core/errors/index.js';
import { isUuid } from '../../core/ids/index.js';
import { foldText } from '../../core/text/index.js';
import { durationLabel } from './duration.js';
import { feeLabel } from './fees.js';
import type { ProcessStep } from './process.js';
import type { ProcedureRecord, UnitLevel } from './record.js';

export type OnlineLevel = 'full' | 'partial' | 'none';

/** One step as stored: the process step plus its id and position (dossiers record hand-overs against it). */
export type StoredProcessStep = ProcessStep & { id: string; position: number; targetUnitName: string | null };

/** A procedure version as services and the API use it. */
export type ProcedureVersion = {
  id: string; // the version id a dossier keeps
  procedureId: string;
  code: string;
  version: number;
  effectiveFrom: string; // ISO
  name: string;
  field: string;
  level: UnitLevel;
  onlineLevel: OnlineLevel;
  record: ProcedureRecord;
  process: StoredProcessStep[];
  ownerUnitId: string;
  changeNote: string | null;
  createdAt: string;
  /** Display labels: time limit and fee per channel, time limit per case; names of the units referred to. */
  labels: { channels: { channel: string; timeLimit: string; fee: string }[]; cases: Record<string, string | null>; unitNames: Record<string, string> };
};

type VersionRaw = {
  id: string; procedure_id: string; code: string; version: number; effective_from: Date | string; name: string; field: string; level: UnitLevel;
  online_level: OnlineLevel; record: ProcedureRecord | string; unit_id: string; change_note: string | null; created_at: Date | string;
};
type StepRaw = {
  id: string; version_id: string; position: number; kind: ProcessStep['kind']; name: string; role: ProcessStep['role']; unit_rule: ProcessStep['unitRule'];
  target_unit_id: string | null; target_unit_name: string | null; target_level: UnitLevel | null; share_kind: ProcessStep['shareKind']; share_value: number;
};

const iso = (v: Date | string) => new Date(v).toISOString();
const asJson = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

const SELECT_VERSION = sql`SELECT v.id, v.procedure_id, p.code, v.version, v.effective_from, v.name, v.field, v.level, v.online_level, v.record,
    v.unit_id, v.change_note, v.created_at
  FROM procedure_versions v JOIN procedures p ON p.id = v.procedure_id`;

async function present(db: Db, rows: VersionRaw[]): Promise<ProcedureVersion[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const steps = await queryRows<StepRaw>(
    db,
    sql`SELECT s.*, u.name AS target_unit_name FROM procedure_process_steps s LEFT JOIN units u ON u.id = s.target_unit_id
        WHERE s.version_id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)}) ORDER BY s.version_id, s.position`,
  );
  const records = rows.map((r) => asJson(r.record));
  const unitIds = new Set<string>();
  for (const rec of records) {
    rec.executing.unitIds.forEach((u) => unitIds.add(u));
    if (rec.twoLevel?.decidingUnitId) unitIds.add(rec.twoLevel.decidingUnitId);
  }
  const names = unitIds.size
    ? await queryRows<{ id: string; name: string }>(db, sql`SELECT id, name FROM units WHERE id IN (${sql.join([...unitIds].map((id) => sql`${id}`), sql`, `)})`)
    : [];
  const unitNames = Object.fromEntries(names.map((u) => [u.id, u.name]));
  return rows.map((r, i) => {
    const record = records[i];
    return {
      id: r.id,
      procedureId: r.procedure_id,
      code: r.code,
      version: r.version,
      effectiveFrom: iso(r.effective_from),
      name: r.name,
      field: r.field,
      level: r.level,
      onlineLevel: r.online_level,
      record,
      process: steps
        .filter((s) => s.version_id === r.id)
        .map((s) => ({
          id: s.id, position: s.position, kind: s.kind, name: s.name, role: s.role, unitRule: s.unit_rule, targetUnitId: s.target_unit_id,
          targetUnitName: s.target_unit_name, targetLevel: s.target_level, shareKind: s.share_kind, shareValue: Number(s.share_value),
        })),
      ownerUnitId: r.unit_id,
      changeNote: r.change_note,
      createdAt: iso(r.created_at),
      labels: {
        channels: record.channels.map((c) => ({ channel: c.channel, timeLimit: durationLabel(c.timeLimit), fee: feeLabel(c.fee) })),
        cases: Object.fromEntries(record.cases.map((c) => [c.key, c.timeLimit ? durationLabel(c.timeLimit) : null])),
        unitNames: Object.fromEntries([...new Set([...record.executing.unitIds, ...(record.twoLevel?.decidingUnitId ? [record.twoLevel.decidingUnitId] : [])])].filter((id) => unitNames[id]).map((id) => [id, unitNames[id]])),
      },
    };
  });
}

/**
 * The version in force at `at`: the latest effective date not after `at` (the higher version number
 * when two share a date), or null when none is in force yet or the procedure was retired by then.
 */
export async function procedureVersionAt(db: Db, procedureId: string, at: Date): Promise<ProcedureVersion | null> {
  if (!isUuid(procedureId)) return null;
  const rows = await queryRows<VersionRaw>(
    db,
    sql`${SELECT_VERSION} WHERE v.procedure_id = ${procedureId} AND v.effective_from <= ${at.toISOString()}
          AND (p.retired_from IS NULL OR p.retired_from > ${at.toISOString()})
        ORDER BY v.effective_from DESC, v.version DESC LIMIT 1`,
  );
  return (await present(db, rows))[0] ?? null;
}

/** A version by its id, in force or not (a dossier reads the version it was received under). */
export async function procedureVersionById(db: Db, versionId: string): Promise<ProcedureVersion | null> {
  if (!isUuid(versionId)) return null;
  return (await present(db, await queryRows<VersionRaw>(db, sql`${SELECT_VERSION} WHERE v.id = ${versionId}`)))[0] ?? null;
}

/** Every version of a procedure, newest version number first. */
export async function procedureVersions(db: Db, procedureId: string): Promise<ProcedureVersion[]> {
  if (!isUuid(procedureId)) return [];
  return present(db, await queryRows<VersionRaw>(db, sql`${SELECT_VERSION} WHERE v.procedure_id = ${procedureId} ORDER BY v.version DESC`));
}

export type ProcedureRow = { id: string; code: string; unitId: string; unitPath: string; unitName: string; retiredFrom: string | null; retireReason: string | null; createdAt: string };

export async function findProcedure(db: Db, idOrCode: { id?: string; code?: string }): Promise<ProcedureRow | null> {
  const where = idOrCode.id !== undefined ? (isUuid(idOrCode.id) ? sql`p.id = ${idOrCode.id}` : null) : sql`p.code = ${idOrCode.code ?? ''}`;
  if (!where) return null;
  const [r] = await queryRows<{ id: string; code: string; unit_id: string; path: string; unit_name: string; retired_from: Date | string | null; retire_reason: string | null; created_at: Date | string }>(
    db,
    sql`SELECT p.id, p.code, p.unit_id, u.path, u.name AS unit_name, p.retired_from, p.retire_reason, p.created_at FROM procedures p JOIN units u ON u.id = p.unit_id WHERE ${where}`,
  );
  if (!r) return null;
  return { id: r.id, code: r.code, unitId: r.unit_id, unitPath: r.path, unitName: r.unit_name, retiredFrom: r.retired_from ? iso(r.retired_from) : null, retireReason: r.retire_reason, createdAt: iso(r.created_at) };
}

export async function requireProcedure(db: Db, id: string): Promise<ProcedureRow> {
  const p = await findProcedure(db, { id });
  if (!p) throw notFound('Thủ tục hành chính');
  return p;
}

export type ProcedureListItem = {
  id: string;
  code: string;
  name: string;
  field: string;
  level: UnitLevel;
  onlineLevel: OnlineLevel;
  versionId: string;
  version: number;
  effectiveFrom: string;
  channels: { channel: string; timeLimit: string; fee: string }[];
  twoLevel: boolean;
  retiredFrom: string | null;
};

export type ListQuery = { q?: string; field?: string; level?: UnitLevel; page: number; pageSize: number; at: Date; includeRetired?: boolean };

/** Words of a search, folded; every word must appear in the code, name or field. */
export const searchWords = (q: string | undefined): string[] => (q ? foldText(q).split(' ').filter(Boolean).slice(0, 12) : []);

/** The catalogue as in force at `at`: filters on the version in force, paged, by field then name. */
export async function listProcedures(db: Db, q: ListQuery): Promise<{ items: ProcedureListItem[]; total: number; page: number; pageSize: number }> {
  const at = q.at.toISOString();
  const conds: SQL[] = [q.includeRetired ? sql`true` : sql`(p.retired_from IS NULL OR p.retired_from > ${at})`];
  for (const w of searchWords(q.q)) conds.push(sql`cur.search_text LIKE ${`%${w}%`}`);
  if (q.field) conds.push(sql`cur.field = ${q.field.normalize('NFC')}`);
  if (q.level) conds.push(sql`cur.level = ${q.level}`);
  const rows = await queryRows<{
    id: string; code: string; name: string; field: string; level: UnitLevel; online_level: OnlineLevel; version_id: string; version: number;
    effective_from: Date | string; record: ProcedureRecord | string; retired_from: Date | string | null; total: number;
  }>(
    db,
    sql`WITH cur AS (
          SELECT DISTINCT ON (v.procedure_id) v.* FROM procedure_versions v WHERE v.effective_from <= ${at}
          ORDER BY v.procedure_id, v.effective_from DESC, v.version DESC)
        SELECT p.id, p.code, cur.name, cur.field, cur.level, cur.online_level, cur.id AS version_id, cur.version, cur.effective_from, cur.record,
          p.retired_from, count(*) OVER ()::int AS total
        FROM cur JOIN procedures p ON p.id = cur.procedure_id
        WHERE ${sql.join(conds, sql` AND `)}
        ORDER BY cur.field, cur.name, p.code
        LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
  );
  const items = rows.map((r) => {
    const record = asJson(r.record);
    return {
      id: r.id, code: r.code, name: r.name, field: r.field, level: r.level, onlineLevel: r.online_level, versionId: r.version_id, version: r.version,
      effectiveFrom: iso(r.effective_from),
      channels: record.channels.map((c) => ({ channel: c.channel, timeLimit: durationLabel(c.timeLimit), fee: feeLabel(c.fee) })),
      twoLevel: !!record.twoLevel,
      retiredFrom: r.retired_from ? iso(r.retired_from) : null,
    };
  });
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && q.page > 1) {
    const [c] = await queryRows<{ n: number }>(db, sql`WITH cur AS (SELECT DISTINCT ON (v.procedure_id) v.* FROM procedure_versions v WHERE v.effective_from <= ${at}
        ORDER BY v.procedure_id, v.effective_from DESC, v.version DESC) SELECT count(*)::int AS n FROM cur JOIN procedures p ON p.id = cur.procedure_id WHERE ${sql.join(conds, sql` AND `)}`);
    total = c.n;
  }
  return { items, total, page: q.page, pageSize: q.pageSize };
}

/** The fields (lĩnh vực) of the catalogue in force, with how many procedures each has. */
export async function procedureFields(db: Db, at: Date): Promise<{ field: string; count: number }[]> {
  return queryRows<{ field: string; count: number }>(
    db,
    sql`WITH cur AS (SELECT DISTINCT ON (v.procedure_id) v.procedure_id, v.field FROM procedure_versions v WHERE v.effective_from <= ${at.toISOString()}
          ORDER BY v.procedure_id, v.effective_from DESC, v.version DESC)
        SELECT cur.field, count(*)::int AS count FROM cur JOIN procedures p ON p.id = cur.procedure_id
        WHERE p.retired_from IS NULL OR p.retired_from > ${at.toISOString()}
        GROUP BY cur.field ORDER BY cur.field`,
  );
}

/** Is this file a form template of some procedure version (public download)? */
export async function isProcedureForm(db: Db, fileId: string): Promise<boolean> {
  if (!isUuid(fileId)) return false;
  const rows = await queryRows<{ one: number }>(db, sql`SELECT 1 AS one FROM procedure_versions WHERE form_file_ids @> ARRAY[${fileId}]::uuid[] LIMIT 1`);
  return rows.length > 0;
}

/** All versions of a procedure in brief, newest version number first. */
export async function listProcedureVersionsBrief(
  db: Db,
  procedureId: string,
): Promise<{ id: string; version: number; effectiveFrom: string; changeNote: string | null; createdAt: string; createdByName: string | null }[]> {
  const rows = await queryRows<{ id: string; version: number; effective_from: Date | string; change_note: string | null; created_at: Date | string; full_name: string | null }>(
    db,
    sql`SELECT v.id, v.version, v.effective_from, v.change_note, v.created_at, u.full_name FROM procedure_versions v LEFT JOIN users u ON u.id = v.created_by
        WHERE v.procedure_id = ${procedureId} ORDER BY v.version DESC`,
  );
  return rows.map((r) => ({ id: r.id, version: r.version, effectiveFrom: iso(r.effective_from), changeNote: r.change_note, createdAt: iso(r.created_at), createdByName: r.full_name }));
}
