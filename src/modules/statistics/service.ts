import { sql } from 'drizzle-orm';
import { type Principal, scopeFor } from '../../core/access/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import { forbidden, notFound } from '../../core/errors/index.js';
import { isUuid } from '../../core/ids/index.js';
import { countFigures, emptyFigures, type Figures } from './figures.js';
import { type OfficerFigures, officerFigures } from './officers.js';
import { periodOf, uuidArray } from './period.js';
import { type Satisfaction, satisfactionOf } from './satisfaction.js';

/**
 * One-stop statistics (thống kê một cửa) of a unit and its sub-units for a period, grouped by receiving
 * unit, by procedure or by officer. Who: `dossier.report` (the desk and the leaders of a unit see it and
 * the units below it; a commune sees only its own). Figures: figures.ts; officers: officers.ts.
 */

export const GROUPINGS = ['unit', 'procedure', 'officer'] as const;
export type Grouping = (typeof GROUPINGS)[number];

export type UnitRow = Figures & { unitId: string; unitName: string };
export type ProcedureRow = Figures & { procedureId: string; procedureCode: string; procedureName: string; field: string | null };
export type DossierStatistics = {
  unit: { id: string; name: string };
  from: string;
  to: string;
  asOf: string;
  groupBy: Grouping;
  totals: Figures;
  byUnit: UnitRow[];
  byProcedure: ProcedureRow[];
  byOfficer: OfficerFigures[];
  satisfaction: Satisfaction;
};

export type StatisticsQuery = { unitId?: string; from: string; to: string; groupBy: Grouping };

type ScopeUnit = { id: string; name: string; path: string };

/** The unit asked for (default: the highest one the caller reports on) and the ids of its subtree. */
export async function reportScope(db: Db, p: Principal, unitId: string | undefined): Promise<{ unit: ScopeUnit; unitIds: string[] }> {
  const scope = scopeFor(p, 'dossier.report');
  if (!scope.all && scope.paths.length === 0) throw forbidden('Chỉ lãnh đạo và cán bộ Bộ phận Một cửa xem được thống kê hồ sơ một cửa.');
  let unit: ScopeUnit | undefined;
  if (unitId) {
    if (!isUuid(unitId)) throw notFound('Đơn vị');
    [unit] = await queryRows<ScopeUnit>(db, sql`SELECT id, name, path FROM units WHERE id = ${unitId}`);
    if (!unit || !(scope.all || scope.paths.some((x) => unit!.path.startsWith(x)))) throw notFound('Đơn vị');
  } else {
    // Scope paths are minimal (none inside another): the shortest is the highest unit.
    const path = scope.all ? null : [...scope.paths].sort((a, b) => a.length - b.length)[0];
    [unit] = await queryRows<ScopeUnit>(db, path ? sql`SELECT id, name, path FROM units WHERE path = ${path}` : sql`SELECT id, name, path FROM units WHERE parent_id IS NULL ORDER BY path LIMIT 1`);
    if (!unit) throw notFound('Đơn vị');
  }
  return { unit, unitIds: await subtreeIds(db, unit.path) };
}

async function subtreeIds(db: Db, path: string): Promise<string[]> {
  return (await queryRows<{ id: string }>(db, sql`SELECT id FROM units WHERE path LIKE ${`${path}%`}`)).map((r) => r.id);
}

export async function dossierStatistics(db: Db, p: Principal, q: StatisticsQuery, now: Date, all = false): Promise<DossierStatistics> {
  const { unit, unitIds } = await reportScope(db, p, q.unitId);
  const period = periodOf(q.from, q.to, now);
  const want = (g: Grouping) => all || q.groupBy === g;
  const [grouped, officers, satisfaction] = await Promise.all([
    countFigures(db, unitIds, period),
    want('officer') ? officerFigures(db, unitIds, period) : Promise.resolve([]),
    satisfactionOf(db, unitIds, period),
  ]);
  return {
    unit: { id: unit.id, name: unit.name },
    from: q.from,
    to: q.to,
    asOf: period.asOf.toISOString(),
    groupBy: q.groupBy,
    totals: grouped.totals,
    byUnit: want('unit') ? await unitRows(db, unit.id, grouped.byUnit) : [],
    byProcedure: want('procedure') ? await procedureRows(db, grouped.byProcedure) : [],
    byOfficer: officers,
    satisfaction,
  };
}

/** The units with figures, and the unit asked for even without any, in tree order. */
async function unitRows(db: Db, unitId: string, figures: Map<string, Figures>): Promise<UnitRow[]> {
  const ids = [...new Set([unitId, ...figures.keys()])];
  const names = await queryRows<{ id: string; name: string }>(db, sql`SELECT id, name FROM units WHERE id = ANY(${uuidArray(ids)}) ORDER BY path`);
  return names.map((u) => ({ unitId: u.id, unitName: u.name, ...(figures.get(u.id) ?? emptyFigures()) }));
}

async function procedureRows(db: Db, figures: Map<string, Figures>): Promise<ProcedureRow[]> {
  if (figures.size === 0) return [];
  const rows = await queryRows<{ id: string; code: string; name: string; field: string | null }>(
    db,
    sql`SELECT p.id, p.code, v.name, v.field FROM procedures p
          JOIN LATERAL (SELECT name, field FROM procedure_versions WHERE procedure_id = p.id ORDER BY version DESC LIMIT 1) v ON TRUE
         WHERE p.id = ANY(${uuidArray([...figures.keys()])}) ORDER BY p.code`,
  );
  return rows.map((r) => ({ procedureId: r.id, procedureCode: r.code, procedureName: r.name, field: r.field, ...figures.get(r.id)! }));
}

/**
 * The two rates the dashboard shows for a unit (and its sub-units) over local dates `from`–`to`:
 * on-time rate (done early or on time / done) and online rate (received online / received); null when
 * nothing was done / received. No permission check: the caller decides who sees them.
 */
export async function dossierRates(db: Db, unitId: string, from: string, to: string, now = new Date()): Promise<{ onTimeRate: number | null; onlineRate: number | null }> {
  const [unit] = isUuid(unitId) ? await queryRows<{ path: string }>(db, sql`SELECT path FROM units WHERE id = ${unitId}`) : [];
  if (!unit) throw notFound('Đơn vị');
  const { totals } = await countFigures(db, await subtreeIds(db, unit.path), periodOf(from, to, now));
  return { onTimeRate: totals.onTimeRate, onlineRate: totals.onlineRate };
}
