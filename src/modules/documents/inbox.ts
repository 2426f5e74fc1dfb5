import { sql, type SQL } from 'drizzle-orm';
import { type Principal, scopeFor } from '../../core/access/index.js';
import { type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { nearDueUntilFor } from './deadlines.js';
import { localDate } from './numbering.js';
import { inboxUnitIds } from './visibility.js';

/**
 * The personal inbox (hộp văn bản được giao), as the contract defines it: an item of person P is an
 * assignment addressed to P, or to a unit where P is leader, deputy leader or clerk, that is still P's
 * (not cancelled, handed over or forwarded) on a document that was not recalled. INCOMING writes these
 * rows, this file reads them; search.ts lists them (box=assigned), inboxCounts counts them.
 */

export const INBOX_STATES = ['pending', 'in_progress', 'near_due', 'overdue', 'done'] as const;
export type InboxState = (typeof INBOX_STATES)[number];

/** Statuses that take an assignment out of its holder's inbox (replaced or withdrawn). */
export const NOT_IN_INBOX = sql`('cancelled', 'handed_over', 'forwarded')`;

export const uuidArray = (ids: string[]): SQL => sql`${`{${ids.join(',')}}`}::uuid[]`;

/** The inbox branches of P: personal items and unit-addressed items (each uses its own index). */
export function inboxBranches(p: Principal, alias = 'a'): SQL[] {
  const a = sql.raw(alias);
  const branches = [sql`${a}.assignee_user_id = ${p.userId}`];
  const units = inboxUnitIds(p);
  if (units.length) branches.push(sql`${a}.assignee_unit_id = ANY(${uuidArray(units)})`);
  return branches;
}

/** Is the assignment aliased `alias` one of P's inbox items (without the recalled-document check)? */
export function inboxItemCondition(p: Principal, alias = 'a'): SQL {
  const a = sql.raw(alias);
  return sql`(${sql.join(inboxBranches(p, alias), sql` OR `)}) AND ${a}.status NOT IN ${NOT_IN_INBOX}`;
}

/**
 * Condition of a handling state on an assignment aliased `alias`, by local date `today`; near due ends at
 * `nearUntil` (deadlines.ts `nearDueUntil`: N working days of the handler's unit calendar), a parameter.
 */
export function stateCondition(state: InboxState, today: string, nearUntil: string, alias = 'a'): SQL {
  const a = sql.raw(alias);
  const open = sql`${a}.status IN ('pending', 'in_progress')`;
  switch (state) {
    case 'pending':
      return sql`${a}.status = 'pending'`;
    case 'in_progress':
      return sql`${a}.status = 'in_progress'`;
    case 'near_due':
      return sql`${open} AND ${a}.due_date >= ${today}::date AND ${a}.due_date <= ${nearUntil}::date`;
    case 'overdue':
      return sql`${open} AND ${a}.due_date < ${today}::date`;
    case 'done':
      return sql`${a}.status = 'completed'`;
  }
}

/** Local (Asia/Ho_Chi_Minh) calendar date of a timestamptz column, in SQL. */
// Fixed UTC+7 like numbering.ts localDate (Việt Nam has no daylight saving time); no time zone database needed.
export const localDateSql = (col: SQL): SQL => sql`((${col}) AT TIME ZONE INTERVAL '+07:00')::date`;

const FIELDS = {
  pending: 'pending',
  in_progress: 'inProgress',
  near_due: 'nearDue',
  overdue: 'overdue',
  done_on_time: 'doneOnTime',
  done_late: 'doneLate',
  unread: 'unread',
  to_assign: 'toAssign',
  to_review: 'toReview',
  to_accept: 'toAccept',
} as const;

export type InboxCounts = {
  pending: number;
  inProgress: number;
  nearDue: number;
  overdue: number;
  doneOnTime: number;
  doneLate: number;
  unread: number;
  toAssign: number;
  toReview: number;
  toAccept: number;
};

/**
 * The inbox counters of the person (chờ xử lý, đang xử lý, sắp đến hạn, quá hạn, đã hoàn thành đúng
 * hạn / quá hạn in the current year, chưa đọc among those items, and the queues: to assign, to review, to accept) in one query: one pass
 * over the person's inbox items plus the three queues. Near due uses the same window as the
 * deadline state shown on each item: due within DEFAULT_NEAR_DUE_DAYS working days of the person's unit
 * calendar, the end date computed here and passed as a parameter (no per-row function call).
 */
export async function inboxCounts(db: Db, p: Principal, now: Date): Promise<InboxCounts> {
  // Without parallel workers (their start costs more than these index probes), as search.ts does.
  return inTransaction(db, async (tx) => {
    await tx.execute(sql`SET LOCAL max_parallel_workers_per_gather = 0`);
    return countInbox(tx, p, now);
  });
}

async function countInbox(db: Db, p: Principal, now: Date): Promise<InboxCounts> {
  const today = localDate(now);
  const near = await nearDueUntilFor(db, p.unitId, now);
  // Done items are counted for the current (local) year: "đã hoàn thành" in the year's statistics sense, and a
  // count that does not grow with the person's whole history (assignments_user_inbox_idx answers it alone).
  const yearStart = new Date(`${today.slice(0, 4)}-01-01T00:00:00+07:00`).toISOString();
  const open = sql`a.status IN ('pending', 'in_progress')`;
  const receive = scopeFor(p, 'document.receive');
  const receiveUnits: SQL = receive.all
    ? sql`TRUE`
    : receive.paths.length === 0
      ? sql`FALSE`
      : sql`r.receiving_unit_id IN (SELECT id FROM units WHERE path LIKE ANY (${`{${receive.paths.map((x) => `"${x}%"`).join(',')}}`}::text[]))`;

  const [c] = await queryRows<Record<keyof typeof FIELDS, number | string>>(
    db,
    sql`SELECT count(*) FILTER (WHERE a.status = 'pending') AS pending,
               count(*) FILTER (WHERE a.status = 'in_progress') AS in_progress,
               count(*) FILTER (WHERE ${open} AND a.due_date >= ${today}::date AND a.due_date <= ${near}::date) AS near_due,
               count(*) FILTER (WHERE ${open} AND a.due_date < ${today}::date) AS overdue,
               count(*) FILTER (WHERE a.status = 'completed' AND (a.due_date IS NULL OR ${localDateSql(sql`a.completed_at`)} <= a.due_date)) AS done_on_time,
               count(*) FILTER (WHERE a.status = 'completed' AND ${localDateSql(sql`a.completed_at`)} > a.due_date) AS done_late,
               count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM document_reads dr WHERE dr.user_id = ${p.userId} AND dr.document_id = a.document_id)) AS unread,
               (SELECT count(*) FROM documents pd WHERE pd.presented_to = ${p.userId} AND pd.status = 'presented') AS to_assign,
               (SELECT count(*) FROM document_reviews v WHERE v.reviewer_user_id = ${p.userId} AND v.status = 'pending') AS to_review,
               (SELECT count(*) FROM document_recipients r WHERE r.status = 'arrived' AND r.receiving_unit_id IS NOT NULL AND ${receiveUnits}) AS to_accept
          FROM assignments a
         WHERE ${inboxItemCondition(p)} AND NOT a.document_recalled
           AND (a.status <> 'completed' OR a.completed_at >= ${yearStart}::timestamptz)`,
  );
  return Object.fromEntries(Object.entries(FIELDS).map(([col, key]) => [key, Number(c[col as keyof typeof FIELDS])])) as InboxCounts;
}
