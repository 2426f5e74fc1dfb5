import { sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import { notFound } from '../../core/errors/index.js';
import { addDays } from './deadlines.js';
import { localDateSql, uuidArray } from './inbox.js';
import { localDate } from './numbering.js';
import { defaultReportUnit, tableXlsx } from './registers.js';
import { formatDate } from './symbols.js';
import { unitIdsFor } from './visibility.js';

/**
 * Statistics of incoming documents for a period (thống kê tình hình xử lý văn bản đến), per unit and per
 * person: received in the period, and where they stand now — completed on time / late (by the local
 * completion date against the due date; equal is on time), still open, and of those overdue.
 *  - per unit: the documents the unit registered (arrival date in the period);
 *  - per person: the lead and co-handling assignments given in the period (not those handed over,
 *    forwarded, returned or cancelled: those count for whoever holds them now).
 * Who: document.report over the unit (its subtree is included). Anyone without a reporting role sees
 * their own line only.
 */

export type StatCounts = { received: number; onTime: number; late: number; open: number; overdue: number };
export type UnitStat = StatCounts & { unitId: string; unitName: string };
export type PersonStat = StatCounts & { userId: string; fullName: string };
export type Statistics = {
  unit: { id: string; name: string } | null;
  from: string;
  to: string;
  asOf: string;
  byUnit: UnitStat[];
  byPerson: PersonStat[];
  totals: StatCounts;
};

const VI = new Intl.Collator('vi');

type Raw = { received: number | string; on_time: number | string; late: number | string; open: number | string; overdue: number | string };
const counts = (r: Raw): StatCounts => ({ received: Number(r.received), onTime: Number(r.on_time), late: Number(r.late), open: Number(r.open), overdue: Number(r.overdue) });

/** The FILTERed counts over rows with a due date, a completion time and an "open" test. */
function countColumns(due: string, completed: string, open: string, today: string) {
  const done = sql.raw(`${completed} IS NOT NULL`);
  const localDone = localDateSql(sql.raw(completed));
  return sql`count(*) AS received,
    count(*) FILTER (WHERE ${done} AND (${sql.raw(due)} IS NULL OR ${localDone} <= ${sql.raw(due)})) AS on_time,
    count(*) FILTER (WHERE ${done} AND ${localDone} > ${sql.raw(due)}) AS late,
    count(*) FILTER (WHERE ${sql.raw(open)}) AS open,
    count(*) FILTER (WHERE ${sql.raw(open)} AND ${sql.raw(due)} < ${today}::date) AS overdue`;
}

export async function documentStatistics(db: Db, p: Principal, q: { from: string; to: string; unitId?: string }, now: Date): Promise<Statistics> {
  const today = localDate(now);
  const start = new Date(`${q.from}T00:00:00+07:00`).toISOString();
  const end = new Date(`${addDays(q.to, 1)}T00:00:00+07:00`).toISOString();
  const allowed = await unitIdsFor(db, p, 'document.report');
  const base = { from: q.from, to: q.to, asOf: now.toISOString() };

  if (!q.unitId && allowed.length === 0) {
    // No reporting role: the caller's own handling only.
    const [mine] = await queryRows<Raw>(
      db,
      sql`SELECT ${countColumns('a.due_date', 'a.completed_at', "a.status IN ('pending', 'in_progress')", today)}
            FROM assignments a JOIN documents d ON d.id = a.document_id
           WHERE a.assignee_user_id = ${p.userId} AND a.assigned_at >= ${start}::timestamptz AND a.assigned_at < ${end}::timestamptz
             AND a.role IN ('lead', 'co') AND a.status IN ('pending', 'in_progress', 'completed') AND d.status <> 'recalled'`,
    );
    const c = counts(mine);
    return { ...base, unit: null, byUnit: [], byPerson: c.received ? [{ userId: p.userId, fullName: p.fullName, ...c }] : [], totals: c };
  }
  const unitId = q.unitId ?? defaultReportUnit(p, allowed)!;
  if (!allowed.includes(unitId)) throw notFound('Đơn vị');
  const [unit] = await queryRows<{ id: string; name: string; path: string }>(db, sql`SELECT id, name, path FROM units WHERE id = ${unitId}`);
  const scope = (await queryRows<{ id: string }>(db, sql`SELECT id FROM units WHERE path LIKE ${`${unit.path}%`}`)).map((r) => r.id).filter((id) => allowed.includes(id));

  const byUnit = await queryRows<Raw & { unit_id: string; unit_name: string }>(
    db,
    sql`SELECT u.id AS unit_id, u.name AS unit_name, s.*
          FROM units u JOIN LATERAL (
            SELECT ${countColumns('d.due_date', 'd.completed_at', "d.completed_at IS NULL AND d.status <> 'recalled'", today)}
              FROM documents d
             WHERE d.unit_id = u.id AND d.direction = 'incoming' AND d.arrival_at >= ${start}::timestamptz AND d.arrival_at < ${end}::timestamptz) s ON TRUE
         WHERE u.id = ANY(${uuidArray(scope)}) AND (s.received > 0 OR u.id = ${unitId})
         ORDER BY u.path`,
  );
  const byPerson = await queryRows<Raw & { user_id: string; full_name: string }>(
    db,
    sql`SELECT a.assignee_user_id AS user_id, us.full_name, ${countColumns('a.due_date', 'a.completed_at', "a.status IN ('pending', 'in_progress')", today)}
          FROM assignments a JOIN documents d ON d.id = a.document_id JOIN users us ON us.id = a.assignee_user_id
         WHERE a.unit_id = ANY(${uuidArray(scope)}) AND a.assigned_at >= ${start}::timestamptz AND a.assigned_at < ${end}::timestamptz
           AND a.role IN ('lead', 'co') AND a.status IN ('pending', 'in_progress', 'completed') AND d.status <> 'recalled'
         GROUP BY a.assignee_user_id, us.full_name`,
  );
  const units = byUnit.map((r) => ({ unitId: r.unit_id, unitName: r.unit_name, ...counts(r) }));
  const totals = units.reduce<StatCounts>((t, r) => ({ received: t.received + r.received, onTime: t.onTime + r.onTime, late: t.late + r.late, open: t.open + r.open, overdue: t.overdue + r.overdue }), { received: 0, onTime: 0, late: 0, open: 0, overdue: 0 });
  // Vietnamese alphabetical order (Đ after D), whatever the database collation.
  const people = byPerson.map((r) => ({ userId: r.user_id, fullName: r.full_name, ...counts(r) })).sort((x, y) => VI.compare(x.fullName, y.fullName) || x.userId.localeCompare(y.userId));
  return { ...base, unit: { id: unit.id, name: unit.name }, byUnit: units, byPerson: people, totals };
}

const COUNT_HEADERS = ['Đã xử lý đúng hạn', 'Đã xử lý quá hạn', 'Đang xử lý', 'Trong đó quá hạn'];
const countCells = (c: StatCounts) => [c.received, c.onTime, c.late, c.open, c.overdue];

export async function statisticsXlsx(s: Statistics): Promise<Buffer> {
  const asOf = new Date(s.asOf);
  const time = new Date(asOf.getTime() + 7 * 3_600_000).toISOString().slice(11, 16);
  const subtitle = [s.unit?.name ?? 'Cá nhân', `Từ ngày ${formatDate(s.from)} đến ngày ${formatDate(s.to)} — số liệu đến ${time} ngày ${formatDate(localDate(asOf))}`];
  const numeric = (header: string) => ({ header, width: 14, align: 'right' as const });
  return tableXlsx([
    {
      name: 'Theo don vi',
      title: 'THỐNG KÊ TÌNH HÌNH XỬ LÝ VĂN BẢN ĐẾN THEO ĐƠN VỊ',
      subtitle,
      columns: [{ header: 'Đơn vị', width: 40 }, numeric('Văn bản đến'), ...COUNT_HEADERS.map(numeric)],
      rows: [...s.byUnit.map((u) => [u.unitName, ...countCells(u)]), ['Tổng cộng', ...countCells(s.totals)]],
    },
    {
      name: 'Theo can bo',
      title: 'THỐNG KÊ TÌNH HÌNH XỬ LÝ VĂN BẢN ĐẾN THEO CÁN BỘ',
      subtitle,
      columns: [{ header: 'Cán bộ', width: 32 }, numeric('Được giao xử lý'), ...COUNT_HEADERS.map(numeric)],
      rows: s.byPerson.map((u) => [u.fullName, ...countCells(u)]),
    },
  ]);
}
