import { sql } from 'drizzle-orm';
import { type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { localDateSql, type Period, ts, uuidArray } from './period.js';

/**
 * The one-stop figures of a set of units for a period (the national report on handling administrative
 * procedures: received, carried over, done early / on time / late, in process, exceptions), counted over
 * the dossiers the units RECEIVED (`dossiers.unit_id`; a transferred dossier counts at its receiving desk).
 *
 * The dossiers counted are those received before the end of the period and not finished before its start.
 * Each is either carried over (received before the start) or received in the period, and ends the period
 * either finished — done (result ready, `completed_at`; returned ones count when done), refused,
 * withdrawn or stopped — or still in process. So carriedOver + received = done + refused + withdrawn +
 * stopped + inProcess, always.
 *
 * Early / on time / late compare the local DATE of completion with the local date of the due date
 * (DOMAIN.md: <, = or no due date, >). The due date is the dossier's, moved by supplement pauses; after an
 * apology (form 04) it is the due date before the apology: the new appointment excuses nothing.
 */

export type Figures = {
  carriedOver: number;
  received: number;
  receivedCounter: number;
  receivedOnline: number;
  receivedPost: number;
  done: number;
  doneEarly: number;
  doneOnTime: number;
  doneLate: number;
  refused: number;
  withdrawn: number;
  stopped: number;
  inProcess: number;
  inProcessOverdue: number;
  supplementRequested: number;
  /** Online dossiers the desk refused to accept in the period (never received, so outside the balance above). */
  notAccepted: number;
  onTimeRate: number | null;
  onlineRate: number | null;
};

export const FIGURE_KEYS = [
  'carriedOver', 'received', 'receivedCounter', 'receivedOnline', 'receivedPost', 'done', 'doneEarly', 'doneOnTime', 'doneLate',
  'refused', 'withdrawn', 'stopped', 'inProcess', 'inProcessOverdue', 'supplementRequested', 'notAccepted',
] as const;
type CountKey = (typeof FIGURE_KEYS)[number];

export const emptyFigures = (): Figures => withRates(Object.fromEntries(FIGURE_KEYS.map((k) => [k, 0])) as Record<CountKey, number>);

/** On-time rate = (early + on time) / done; online rate = online / received; null when nothing to divide. */
export function withRates(c: Record<CountKey, number>): Figures {
  return {
    ...c,
    onTimeRate: c.done > 0 ? (c.doneEarly + c.doneOnTime) / c.done : null,
    onlineRate: c.received > 0 ? c.receivedOnline / c.received : null,
  };
}

export function addFigures(a: Figures, b: Figures): Figures {
  return withRates(Object.fromEntries(FIGURE_KEYS.map((k) => [k, a[k] + b[k]])) as Record<CountKey, number>);
}

type Raw = { unit_id: string; procedure_id: string } & Record<string, number | string | null>;

export type GroupedFigures = { totals: Figures; byUnit: Map<string, Figures>; byProcedure: Map<string, Figures> };

/**
 * Counts the figures of the dossiers received by `unitIds`, per receiving unit, per procedure and in
 * total: one pass grouped by (unit, procedure), rolled up here (a few thousand groups at most). Run
 * without JIT: compiling the expressions cost PostgreSQL 15 more than evaluating them (≈100 ms a query).
 */
export async function countFigures(db: Db, unitIds: readonly string[], p: Period): Promise<GroupedFigures> {
  const rows = await inTransaction(db, async (tx) => {
    await tx.execute(sql`SET LOCAL jit = off`);
    return queryRows<Raw>(tx, figuresSql(unitIds, p));
  });
  const out: GroupedFigures = { totals: emptyFigures(), byUnit: new Map(), byProcedure: new Map() };
  for (const r of rows) {
    const f = figuresOf(r);
    out.totals = addFigures(out.totals, f);
    out.byUnit.set(r.unit_id, addFigures(out.byUnit.get(r.unit_id) ?? emptyFigures(), f));
    out.byProcedure.set(r.procedure_id, addFigures(out.byProcedure.get(r.procedure_id) ?? emptyFigures(), f));
  }
  return out;
}

function figuresSql(unitIds: readonly string[], p: Period) {
  const start = ts(p.start);
  const end = ts(p.end);
  const units = uuidArray(unitIds);
  // The due date statistics judge by: before an apology's new appointment, if there was one (form 04 is issued once).
  const statDue = sql`CASE WHEN d.apologized_at IS NULL THEN d.due_at ELSE coalesce((
      SELECT (a.detail ->> 'previousDueAt')::timestamptz FROM dossier_actions a WHERE a.dossier_id = d.id AND a.action = 'apologize' ORDER BY a.seq LIMIT 1), d.due_at) END`;
  // Pauses are [{ from, to | null }] with ISO instants written by toISOString(): they compare as strings.
  const iso = (d: Date) => JSON.stringify(d.toISOString());
  const pausePath = (path: string) => sql`(d.pauses <> '[]'::jsonb AND d.pauses @? ${path}::jsonpath)`;
  // Fee pauses (status 6, `kind: "fee"`) pause the clock too, but are not supplement requests.
  const supplementInPeriod = pausePath(`$[*] ? (@.from >= ${iso(p.start)} && @.from < ${iso(p.end)} && !(@.kind == "fee"))`);
  const pausedAtAsOf = pausePath(`$[*] ? (@.from < ${iso(p.asOf)} && (@.to == null || @.to > ${iso(p.asOf)}))`);
  return sql`WITH c AS (
          SELECT d.unit_id, d.procedure_id, d.channel, d.status, d.received_at, d.completed_at, d.closed_at,
                 coalesce(d.completed_at, d.closed_at) AS finished_at,
                 ${localDateSql(statDue)} AS due_day,
                 ${localDateSql(sql`d.completed_at`)} AS done_day,
                 ${supplementInPeriod} AS supplement_in_period,
                 ${pausedAtAsOf} AS paused_at_as_of
            FROM dossiers d
           WHERE d.unit_id = ANY(${units}) AND d.received_at < ${end}
             AND (d.completed_at >= ${start} OR (d.completed_at IS NULL AND (d.closed_at IS NULL OR d.closed_at >= ${start})))
          OFFSET 0 -- a fence: each row's dates are computed once, not once per FILTER that reads them
        )
        SELECT unit_id, procedure_id,
               count(*) FILTER (WHERE received_at < ${start}) AS carried_over,
               count(*) FILTER (WHERE received_at >= ${start}) AS received,
               count(*) FILTER (WHERE received_at >= ${start} AND channel = 'counter') AS received_counter,
               count(*) FILTER (WHERE received_at >= ${start} AND channel = 'online') AS received_online,
               count(*) FILTER (WHERE received_at >= ${start} AND channel = 'post') AS received_post,
               count(*) FILTER (WHERE completed_at < ${end}) AS done,
               count(*) FILTER (WHERE completed_at < ${end} AND done_day < due_day) AS done_early,
               count(*) FILTER (WHERE completed_at < ${end} AND (due_day IS NULL OR done_day = due_day)) AS done_on_time,
               count(*) FILTER (WHERE completed_at < ${end} AND done_day > due_day) AS done_late,
               count(*) FILTER (WHERE completed_at IS NULL AND status = 3 AND closed_at < ${end}) AS refused,
               count(*) FILTER (WHERE completed_at IS NULL AND status = 7 AND closed_at < ${end}) AS withdrawn,
               count(*) FILTER (WHERE completed_at IS NULL AND status = 8 AND closed_at < ${end}) AS stopped,
               count(*) FILTER (WHERE finished_at IS NULL OR finished_at >= ${end}) AS in_process,
               count(*) FILTER (WHERE (finished_at IS NULL OR finished_at >= ${end}) AND due_day < ${p.asOfDay}::date AND NOT paused_at_as_of) AS in_process_overdue,
               count(*) FILTER (WHERE supplement_in_period) AS supplement_requested,
               0 AS not_accepted
          FROM c
         GROUP BY unit_id, procedure_id
        UNION ALL
        SELECT d.unit_id, d.procedure_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*)
          FROM dossiers d
         WHERE d.unit_id = ANY(${units}) AND d.status = 3 AND d.received_at IS NULL AND d.closed_at >= ${start} AND d.closed_at < ${end}
         GROUP BY d.unit_id, d.procedure_id`;
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function figuresOf(r: Raw): Figures {
  return withRates(Object.fromEntries(FIGURE_KEYS.map((k) => [k, Number(r[snake(k)] ?? 0)])) as Record<CountKey, number>);
}
