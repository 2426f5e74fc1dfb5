import { sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import { validationFailed } from '../../core/errors/index.js';
import { isUuid } from '../../core/ids/index.js';
import type { DocumentSummary } from './api.js';
import { addDays, deadlineState } from './deadlines.js';
import { presentSummary } from './detail.js';
import { type InboxState, inboxBranches, NOT_IN_INBOX, stateCondition, uuidArray } from './inbox.js';
import { localDate } from './numbering.js';
import type { DOCUMENT_STATUSES, URGENCIES } from './schema.js';
import { toTsQuery, unitToken } from './text.js';
import { type DocumentRow, inboxUnitIds, unitIdsFor } from './visibility.js';

/**
 * Document lists and full-text search (GET /api/documents). The read rule of visibility.ts
 * (readCondition) is evaluated as a UNION of index-friendly branches instead of one OR, which no index
 * can serve:
 *  - unit branch: the readable units' non-secret documents. Without a text query, one LIMITed probe per
 *    (unit, direction) of the index (unit_id, direction, created_at desc, id desc); with a query, one GIN
 *    scan of `search_vector @@ (terms && (u… | u…))`, the unit tokens of text.ts.
 *  - participant branch: documents the person created, signs, was presented, handles (personally or
 *    for a unit where they are leader/clerk) or reviews, each from its own index.
 * Each branch is sorted and cut to the rows the page needs; the union is sorted again. Date order
 * pages by keyset (an opaque cursor on created_at, id); totals are exact up to COUNT_CAP.
 */

export const BOXES = ['incoming', 'outgoing', 'assigned', 'all'] as const;
export type Box = (typeof BOXES)[number];
export const SORTS = ['relevance', 'date'] as const;
export type Sort = (typeof SORTS)[number];
export const DATE_FIELDS = ['issued', 'arrival'] as const;
export type DateField = (typeof DATE_FIELDS)[number];

export type DocumentFilters = {
  q?: string;
  typeCode?: string;
  /** Period, inclusive, on the document date (ngày văn bản, `issued`, default) or the arrival date (`arrival`). */
  from?: string;
  to?: string;
  dateField?: DateField;
  status?: (typeof DOCUMENT_STATUSES)[number];
  urgency?: (typeof URGENCIES)[number];
  overdue?: boolean;
  /** Documents with a (non-cancelled) assignment to this person. */
  handlerId?: string;
  /** box=assigned only: the handling state of the caller's assignment. */
  state?: InboxState;
};

export type DocumentQuery = DocumentFilters & { box: Box; sort?: Sort; page?: number; pageSize?: number; cursor?: string };

export type DocumentPage = {
  items: DocumentSummary[];
  /** Exact when totalExact; otherwise "more than COUNT_CAP" and total = COUNT_CAP. */
  total: number;
  totalExact: boolean;
  page: number;
  pageSize: number;
  /** Keyset cursor of the next page (date order only); null on the last page. */
  nextCursor: string | null;
};

export const COUNT_CAP = 5000;
export const MAX_PAGE_SIZE = 200;
/** Above this many readable units, the unit token disjunction is replaced by a unit_id filter. */
const UNIT_TOKEN_LIMIT = 64;

type Row = {
  id: string;
  unit_id: string;
  direction: DocumentRow['direction'];
  status: DocumentRow['status'];
  type_code: string;
  subject: string;
  code_number: number | null;
  code_notation: string | null;
  issued_date: string | null;
  issuer_name: string;
  signer_name: string | null;
  urgency: DocumentRow['urgency'];
  secrecy: DocumentRow['secrecy'];
  due_date: string | null;
  arrival_number: number | null;
  arrival_at: Date | null;
  created_at: Date;
  completed_at: Date | null;
  created_key: string;
  rank?: number;
  is_read: boolean;
  a_id?: string;
  a_role?: 'lead' | 'co' | 'info';
  a_status?: 'pending' | 'in_progress' | 'returned' | 'handed_over' | 'forwarded' | 'completed' | 'cancelled';
  a_due?: string | null;
  a_completed?: Date | null;
  a_urgent?: boolean;
  a_key?: string;
};

const COLS = sql.raw(`d.id, d.unit_id, d.direction, d.status, d.type_code, d.subject, d.code_number, d.code_notation, d.issued_date,
  d.issuer_name, d.signer_name, d.urgency, d.secrecy, d.due_date, d.arrival_number, d.arrival_at, d.created_at, d.completed_at,
  d.created_at::text AS created_key`);
const ASSIGNMENT_COLS = sql.raw(`a.id AS a_id, a.role AS a_role, a.status AS a_status, a.due_date AS a_due, a.completed_at AS a_completed,
  a.urgent AS a_urgent, a.assigned_at AS a_at, a.assigned_at::text AS a_key`);

const textArray = (xs: readonly string[]): SQL => sql`${`{${xs.join(',')}}`}::text[]`;
const tsq = (q: string): SQL => sql`to_tsquery('simple', ${q})`;
/** Start of a local (UTC+7) calendar day as an instant. */
const dayStart = (isoDate: string): string => new Date(`${isoDate}T00:00:00+07:00`).toISOString();

/** Conditions on the document row `d` shared by every box (the text query is added by each branch). */
export function documentFilters(f: DocumentFilters, today: string, box: Box): SQL[] {
  const c: SQL[] = [];
  if (f.typeCode) c.push(sql`d.type_code = ${f.typeCode}`);
  if (f.status) c.push(sql`d.status = ${f.status}`);
  if (f.urgency) c.push(sql`d.urgency = ${f.urgency}`);
  if (f.from || f.to) {
    if (f.dateField === 'arrival') {
      if (f.from) c.push(sql`d.arrival_at >= ${dayStart(f.from)}::timestamptz`);
      if (f.to) c.push(sql`d.arrival_at < ${dayStart(addDays(f.to, 1))}::timestamptz`);
    } else {
      if (f.from) c.push(sql`d.issued_date >= ${f.from}::date`);
      if (f.to) c.push(sql`d.issued_date <= ${f.to}::date`);
    }
  }
  // In the inbox "overdue" is the caller's own item (its deadline); elsewhere the document's deadline.
  if (f.overdue !== undefined && box !== 'assigned') {
    const late = sql`(d.completed_at IS NULL AND d.due_date < ${today}::date)`;
    c.push(f.overdue ? late : sql`NOT ${late}`);
  }
  if (f.handlerId) {
    c.push(sql`EXISTS (SELECT 1 FROM assignments h WHERE h.document_id = d.id AND h.assignee_user_id = ${f.handlerId} AND h.status <> 'cancelled')`);
  }
  return c;
}

/** Ids of the documents the person takes part in (the participant half of readCondition). */
export function participantIds(p: Principal): SQL {
  const me = p.userId;
  const units = inboxUnitIds(p);
  return sql`SELECT id FROM documents WHERE created_by = ${me}
    UNION ALL SELECT id FROM documents WHERE signer_user_id = ${me}
    UNION ALL SELECT id FROM documents WHERE presented_to = ${me}
    UNION ALL SELECT document_id FROM assignments WHERE assignee_user_id = ${me} AND status <> 'cancelled'
    ${units.length ? sql`UNION ALL SELECT document_id FROM assignments WHERE assignee_unit_id = ANY(${uuidArray(units)}) AND status <> 'cancelled'` : sql``}
    UNION ALL SELECT document_id FROM document_reviews WHERE reviewer_user_id = ${me}`;
}

type DateCursor = { k: 'd'; t: string; i: string };
type InboxCursor = { k: 'a'; u: boolean; t: string; i: string };

export function encodeCursor(c: DateCursor | InboxCursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

const badCursor = () => validationFailed([{ field: 'query.cursor', message: 'Con trỏ phân trang không hợp lệ (hãy tải lại danh sách).' }]);

export function decodeCursor(s: string, kind: 'd' | 'a'): DateCursor | InboxCursor {
  let c: { k?: unknown; t?: unknown; i?: unknown; u?: unknown } | null;
  try {
    c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as typeof c;
  } catch {
    throw badCursor();
  }
  if (!c || c.k !== kind || typeof c.t !== 'string' || !/^\d{4}-\d{2}-\d{2}[ T][\d:.+-]+$/.test(c.t) || typeof c.i !== 'string' || !isUuid(c.i)) throw badCursor();
  if (kind === 'a' && typeof c.u !== 'boolean') throw badCursor();
  return c as DateCursor | InboxCursor;
}

const and = (xs: SQL[]): SQL => (xs.length ? sql.join(xs, sql` AND `) : sql`TRUE`);

/** The documents of a box the person may read, filtered, searched, sorted and paginated. */
export async function searchDocuments(db: Db, p: Principal, query: DocumentQuery, now: Date): Promise<DocumentPage> {
  const page = Math.max(1, Math.floor(query.page ?? 1));
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(query.pageSize ?? 20)));
  const today = localDate(now);
  const terms = query.q ? toTsQuery(query.q) : null;
  const sort: Sort = terms && query.sort !== 'date' ? 'relevance' : 'date';
  const keyset = sort === 'date' && !!query.cursor;
  const offset = keyset ? 0 : (page - 1) * pageSize;
  const limit = offset + pageSize + 1; // one more row tells whether there is a next page
  const filters = documentFilters(query, today, query.box);
  const rank = terms ? sql`, ts_rank(d.search_vector, ${tsq(terms)})::float8 AS rank` : sql``;

  const { rows, total } =
    query.box === 'assigned'
      ? await assignedBox(db, p, query, { today, terms, sort, offset, limit, filters, rank })
      : await documentBox(db, p, query, { terms, sort, offset, limit, filters, rank });

  const more = rows.length > pageSize;
  const pageRows = rows.slice(0, pageSize);
  const items = await Promise.all(pageRows.map((r) => summaryOf(db, r, now)));
  const last = pageRows[pageRows.length - 1];
  let nextCursor: string | null = null;
  if (more && sort === 'date' && last) {
    nextCursor = query.box === 'assigned' ? encodeCursor({ k: 'a', u: !!last.a_urgent, t: last.a_key!, i: last.a_id! }) : encodeCursor({ k: 'd', t: last.created_key, i: last.id });
  }
  return { items, total: Math.min(total, COUNT_CAP), totalExact: total <= COUNT_CAP, page: keyset ? 1 : page, pageSize, nextCursor };
}

type Plan = { terms: string | null; sort: Sort; offset: number; limit: number; filters: SQL[]; rank: SQL };

async function documentBox(db: Db, p: Principal, query: DocumentQuery, plan: Plan): Promise<{ rows: Row[]; total: number }> {
  const { terms, sort, offset, limit, filters, rank } = plan;
  const dirs = query.box === 'all' ? (['incoming', 'outgoing'] as const) : ([query.box] as const);
  const units = await unitIdsFor(db, p, 'document.read');
  const cursor = query.cursor && sort === 'date' ? (decodeCursor(query.cursor, 'd') as DateCursor) : null;
  const after = cursor ? [sql`(d.created_at, d.id) < (${cursor.t}::timestamptz, ${cursor.i}::uuid)`] : [];
  const order = sort === 'relevance' ? sql`rank DESC, created_at DESC, id DESC` : sql`created_at DESC, id DESC`;
  const innerOrder = sort === 'relevance' ? sql`rank DESC, d.created_at DESC, d.id DESC` : sql`d.created_at DESC, d.id DESC`;
  const text = terms ? [sql`d.search_vector @@ ${tsq(terms)}`] : [];

  // Unit branch, for items and for the count.
  let unitItems: SQL | null = null;
  let unitCount: SQL | null = null;
  if (units.length) {
    const base = [sql`d.secrecy = 'none'`, ...filters];
    if (terms) {
      const scope =
        units.length <= UNIT_TOKEN_LIMIT
          ? sql`d.search_vector @@ (${tsq(terms)} && ${tsq(units.map(unitToken).join(' | '))})`
          : sql`d.search_vector @@ ${tsq(terms)}`;
      const where = and([scope, sql`d.unit_id = ANY(${uuidArray(units)})`, sql`d.direction = ANY(${textArray(dirs)})`, ...base]);
      unitItems = sql`(SELECT ${COLS}${rank} FROM documents d WHERE ${and([where, ...after])} ORDER BY ${innerOrder} LIMIT ${limit})`;
      unitCount = sql`(SELECT d.id FROM documents d WHERE ${where} LIMIT ${COUNT_CAP + 1})`;
    } else {
      unitItems = sql`(SELECT x.* FROM unnest(${uuidArray(units)}) AS u(id) CROSS JOIN unnest(${textArray(dirs)}) AS dir(v)
        CROSS JOIN LATERAL (SELECT ${COLS} FROM documents d WHERE ${and([sql`d.unit_id = u.id`, sql`d.direction = dir.v`, ...base, ...after])}
                            ORDER BY d.created_at DESC, d.id DESC LIMIT ${limit}) x)`;
      unitCount = sql`(SELECT d.id FROM documents d WHERE ${and([sql`d.unit_id = ANY(${uuidArray(units)})`, sql`d.direction = ANY(${textArray(dirs)})`, ...base])} LIMIT ${COUNT_CAP + 1})`;
    }
  }
  const partWhere = [sql`d.id IN (${participantIds(p)})`, sql`d.direction = ANY(${textArray(dirs)})`, ...filters, ...text];
  const partItems = sql`(SELECT ${COLS}${rank} FROM documents d WHERE ${and([...partWhere, ...after])} ORDER BY ${innerOrder} LIMIT ${limit})`;
  const partCount = sql`(SELECT d.id FROM documents d WHERE ${and(partWhere)} LIMIT ${COUNT_CAP + 1})`;

  const union = unitItems ? sql`${unitItems} UNION ${partItems}` : partItems;
  const [rows, counts] = await Promise.all([
    queryRows<Row>(
      db,
      sql`SELECT x.*, EXISTS (SELECT 1 FROM document_reads r WHERE r.user_id = ${p.userId} AND r.document_id = x.id) AS is_read
            FROM (${union}) x ORDER BY ${order} LIMIT ${limit - offset} OFFSET ${offset}`,
    ),
    queryRows<{ n: number | string }>(db, sql`SELECT count(*) AS n FROM (${unitCount ? sql`${unitCount} UNION ${partCount}` : partCount}) c`),
  ]);
  return { rows, total: Number(counts[0].n) };
}

async function assignedBox(db: Db, p: Principal, query: DocumentQuery, plan: Plan & { today: string }): Promise<{ rows: Row[]; total: number }> {
  const { terms, sort, offset, limit, filters, rank, today } = plan;
  const cursor = query.cursor && sort === 'date' ? (decodeCursor(query.cursor, 'a') as InboxCursor) : null;
  const conds = [
    sql`a.status NOT IN ${NOT_IN_INBOX}`,
    sql`d.status <> 'recalled'`,
    ...(query.state ? [stateCondition(query.state, today)] : []),
    ...(query.overdue !== undefined ? [query.overdue ? stateCondition('overdue', today) : sql`NOT (${stateCondition('overdue', today)})`] : []),
    ...filters,
    ...(terms ? [sql`d.search_vector @@ ${tsq(terms)}`] : []),
  ];
  const after = cursor ? [sql`(a.urgent, a.assigned_at, a.id) < (${cursor.u}, ${cursor.t}::timestamptz, ${cursor.i}::uuid)`] : [];
  const innerOrder = sort === 'relevance' ? sql`a.urgent DESC, rank DESC, a.assigned_at DESC, a.id DESC` : sql`a.urgent DESC, a.assigned_at DESC, a.id DESC`;
  const order = sort === 'relevance' ? sql`a_urgent DESC, rank DESC, a_at DESC, a_id DESC` : sql`a_urgent DESC, a_at DESC, a_id DESC`;
  // Personal items and unit-addressed items are two branches, each read in order from its own index.
  const branches = inboxBranches(p).map((who, i) => {
    const notMine = i > 0 ? [sql`a.assignee_user_id IS DISTINCT FROM ${p.userId}`] : [];
    return { who: [who, ...notMine] };
  });
  const items = branches.map(
    (b) => sql`(SELECT ${COLS}, ${ASSIGNMENT_COLS}${rank} FROM assignments a JOIN documents d ON d.id = a.document_id
                 WHERE ${and([...b.who, ...conds, ...after])} ORDER BY ${innerOrder} LIMIT ${limit})`,
  );
  const counts = branches.map((b) => sql`(SELECT a.id FROM assignments a JOIN documents d ON d.id = a.document_id WHERE ${and([...b.who, ...conds])} LIMIT ${COUNT_CAP + 1})`);
  const [rows, n] = await Promise.all([
    queryRows<Row>(
      db,
      sql`SELECT x.*, EXISTS (SELECT 1 FROM document_reads r WHERE r.user_id = ${p.userId} AND r.document_id = x.id) AS is_read
            FROM (${sql.join(items, sql` UNION ALL `)}) x ORDER BY ${order} LIMIT ${limit - offset} OFFSET ${offset}`,
    ),
    queryRows<{ n: number | string }>(db, sql`SELECT count(*) AS n FROM (${sql.join(counts, sql` UNION ALL `)}) c`),
  ]);
  return { rows, total: Number(n[0].n) };
}

async function summaryOf(db: Db, r: Row, now: Date): Promise<DocumentSummary> {
  // presentSummary reads only the summary columns selected above.
  const doc = {
    id: r.id,
    unitId: r.unit_id,
    direction: r.direction,
    status: r.status,
    typeCode: r.type_code,
    subject: r.subject,
    codeNumber: r.code_number,
    codeNotation: r.code_notation,
    issuedDate: r.issued_date,
    issuerName: r.issuer_name,
    signerName: r.signer_name,
    urgency: r.urgency,
    secrecy: r.secrecy,
    dueDate: r.due_date,
    arrivalNumber: r.arrival_number,
    arrivalAt: r.arrival_at ? new Date(r.arrival_at) : null,
    createdAt: new Date(r.created_at),
    completedAt: r.completed_at ? new Date(r.completed_at) : null,
  } as DocumentRow;
  const myAssignment = r.a_id
    ? { id: r.a_id, role: r.a_role!, status: r.a_status!, dueDate: r.a_due ?? null, deadlineState: deadlineState(r.a_due ?? null, r.a_completed ? new Date(r.a_completed) : null, now) }
    : undefined;
  return presentSummary(db, doc, now, { read: !!r.is_read, ...(myAssignment ? { myAssignment } : {}), ...(r.rank !== undefined && r.rank !== null ? { rank: Number(r.rank) } : {}) });
}
