import { sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type Db, inTransaction, perDatabase, queryRows } from '../../core/db/index.js';
import type { DocumentSummary } from './api.js';
import { addDays, deadlineState, nearDueUntilFor } from './deadlines.js';
import { presentSummary } from './detail.js';
import { type InboxState, inboxBranches, NOT_IN_INBOX, stateCondition, uuidArray } from './inbox.js';
import { localDate } from './numbering.js';
import type { DOCUMENT_STATUSES, URGENCIES } from './schema.js';
import { toTsQuery, unitToken } from './text.js';
import { type DocumentRow, inboxUnitIds, unitIdsFor } from './visibility.js';
import { decodeCursor, encodeCursor, type DateCursor, type InboxCursor } from './search-cursor.js';

/**
 * Document lists and full-text search (GET /api/documents). The read rule of visibility.ts
 * (readCondition) is evaluated as a UNION of index-friendly branches instead of one OR, which no index
 * can serve (the tests check both give the same documents for every demo official):
 *  - unit branch: the readable units' non-secret documents. Without a text query, one LIMITed probe per
 *    (unit, direction) of the index (unit_id, direction, created_at desc, id desc); with a query, one GIN
 *    scan of `search_vector @@ (terms && (u… | u…))`, the unit tokens of text.ts.
 *  - issuing branch: the secret approved/issued/recalled outgoing documents of the clerk's units.
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
  /** Exact when totalExact; otherwise at least this many (COUNT_CAP, or the matches among the newest documents). */
  total: number;
  totalExact: boolean;
  page: number;
  pageSize: number;
  /** Keyset cursor of the next page (date order only); null on the last page. */
  nextCursor: string | null;
};

export const COUNT_CAP = 1000;
export const MAX_PAGE_SIZE = 200;
/** Above this many readable units, the unit token disjunction is replaced by a unit_id filter. */
const UNIT_TOKEN_LIMIT = 64;
/** A reader of more units than UNIT_TOKEN_LIMIT searching a common word: the newest this many documents first. */
const WINDOW = 20_000;
/** Above this many readable units, a date-ordered list scans documents_created_idx instead of probing each unit. */
const MANY_UNITS = 24;
/** Relevance order ranks at most this many matches per unit and direction: the newest ones. */
const RANK_WINDOW = 500;

/** Estimated matches in a unit above which a text search walks it newest first (commonInUnits); tests lower it. */
export const searchTuning = {
  manyMatches: COUNT_CAP + 1,
  /** A prefix term goes to GIN only when at most this many documents hold a word starting with it (prefixToIndex); tests lower it. */
  prefixIndexMax: 20_000,
};

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

/** Ids of the documents the person handles or reviews (with created_by, signer and presented_to: the participant half of readCondition). */
export function participantIds(p: Principal): SQL {
  const me = p.userId;
  const units = inboxUnitIds(p);
  return sql`SELECT document_id FROM assignments WHERE assignee_user_id = ${me} AND status <> 'cancelled'
    ${units.length ? sql`UNION ALL SELECT document_id FROM assignments WHERE assignee_unit_id = ANY(${uuidArray(units)}) AND status <> 'cancelled'` : sql``}
    UNION ALL SELECT document_id FROM document_reviews WHERE reviewer_user_id = ${me}`;
}

/**
 * The documents where the person is creator, signer or presented-to that the unit branch does not return
 * (secret ones, and those of units they cannot read). A clerk registers 42,000 documents at 1M; checking the
 * words on each, or joining them, cost seconds. From the index (column, secrecy, unit_id, id) alone: the
 * secret ones, then the non-secret ones in the key ranges between the readable units (a range scan each);
 * for readers of many units, a filter on the same index. The ids come as an array (an InitPlan), so the
 * planner fetches these few documents by primary key instead of guessing a join.
 */
function participantDocuments(p: Principal, column: 'created_by' | 'signer_user_id' | 'presented_to', units: string[]): SQL {
  const col = sql.raw(`x.${column}`);
  const me = sql`${col} = ${p.userId}`;
  const secret = sql`SELECT x.id FROM documents x WHERE ${me} AND x.secrecy IN ('confidential', 'secret', 'top_secret')`;
  let outside: SQL;
  if (units.length === 0) outside = sql`SELECT x.id FROM documents x WHERE ${me} AND x.secrecy = 'none'`;
  else if (units.length <= UNIT_TOKEN_LIMIT) {
    const sorted = [...units].sort();
    const ranges = [sql`x.unit_id < ${sorted[0]}::uuid`];
    for (let i = 1; i < sorted.length; i++) ranges.push(sql`(x.unit_id > ${sorted[i - 1]}::uuid AND x.unit_id < ${sorted[i]}::uuid)`);
    ranges.push(sql`x.unit_id > ${sorted[sorted.length - 1]}::uuid`);
    outside = sql`SELECT x.id FROM documents x WHERE ${me} AND x.secrecy = 'none' AND (${sql.join(ranges, sql` OR `)})`;
  } else outside = sql`SELECT x.id FROM documents x WHERE ${me} AND x.secrecy = 'none' AND NOT (x.unit_id = ANY(${uuidArray(units)}))`;
  return sql`d.id = ANY(ARRAY(${secret} UNION ALL ${outside}))`;
}

const and = (xs: SQL[]): SQL => (xs.length ? sql.join(xs, sql` AND `) : sql`TRUE`);

/**
 * A text query, split for the index: GIN expands a prefix term (`sinh:*`) into a bitmap of every
 * document holding any word that starts with it (tens of thousands of rows for a common syllable),
 * while exact terms and the unit tokens intersect posting lists cheaply. So the index gets the exact
 * words (and unit tokens); the whole query, prefix included, is checked on the rows found. `IS TRUE`
 * keeps the planner from taking that check to the index.
 */
type TextQuery = { full: string; exact: string | null };
function splitTerms(full: string): TextQuery {
  const exact = full.split(' & ').filter((w) => !w.endsWith(':*'));
  return { full, exact: exact.length ? exact.join(' & ') : null };
}
const onRow = (t: TextQuery): SQL => sql`(d.search_vector @@ ${tsq(t.full)}) IS TRUE`;

/** Word frequencies from the planner's statistics of search_vector (ANALYZE), read at most every 10 minutes. */
type Lexemes = { at: number; freq: Map<string, number>; floor: number; rows: number };
const lexemeCache = perDatabase((): { stats: Lexemes | null } => ({ stats: null }));
async function lexemeStats(db: Db): Promise<Lexemes> {
  const cache = lexemeCache(db);
  let lexemes = cache.stats;
  if (!lexemes || Date.now() - lexemes.at > 600_000) {
    const [r] = await queryRows<{ elems: string[] | null; freqs: number[] | null; rows: number | string | null }>(
      db,
      sql`SELECT s.most_common_elems::text::text[] AS elems, s.most_common_elem_freqs::real[] AS freqs,
                 (SELECT reltuples FROM pg_class WHERE oid = 'documents'::regclass) AS rows
            FROM (SELECT 1) one LEFT JOIN pg_stats s ON s.tablename = 'documents' AND s.attname = 'search_vector'`,
    );
    const elems = r?.elems ?? [];
    const freqs = (r?.freqs ?? []).map(Number);
    lexemes = { at: Date.now(), freq: new Map(elems.map((e, i) => [e, freqs[i]])), floor: elems.length ? Math.min(...freqs.slice(0, elems.length)) : 0, rows: Math.max(0, Number(r?.rows ?? 0)) };
    cache.stats = lexemes;
  }
  return lexemes;
}

/**
 * Whether the prefix term (the word being typed) goes to the GIN index. A partial match reads the posting lists of
 * every word starting with the prefix into a bitmap — about 0.15 µs per entry, 63 ms for "văn*" at 1M documents —
 * and GIN's fast scan cannot skip through them as it does for exact words. So the prefix is indexed only when its
 * expansion is small in absolute terms (searchTuning.prefixIndexMax documents) and, next to exact words, rarer than they are;
 * otherwise the rows found by the other terms are checked.
 */
async function prefixToIndex(db: Db, t: TextQuery): Promise<boolean> {
  if (searchTuning.prefixIndexMax <= 0) return false;
  const stats = await lexemeStats(db);
  if (stats.freq.size === 0) return true; // no statistics yet (never analysed): the whole query to GIN
  const words = t.full.split(' & ');
  const prefix = words[words.length - 1].replace(/:\*$/, '');
  const f = (w: string) => stats.freq.get(w) ?? stats.floor;
  let prefixFreq = 0;
  for (const [w, x] of stats.freq) if (w.startsWith(prefix)) prefixFreq += x;
  const expansion = Math.max(prefixFreq, stats.floor);
  if (expansion * stats.rows > searchTuning.prefixIndexMax) return false;
  return !t.exact || expansion <= Math.min(...t.exact.split(' & ').map(f));
}

/**
 * The units where a text query is estimated to match at least COUNT_CAP documents (searchTuning.manyMatches):
 * there a GIN scan would fetch (and rank) tens of thousands of rows for a page of 20, while a walk of the
 * unit's documents newest first finds a page, and the capped count, within a few thousand rows. Estimated
 * from the word statistics with words, prefix and unit token taken as independent.
 */
async function commonInUnits(db: Db, t: TextQuery, units: string[]): Promise<string[]> {
  if (searchTuning.manyMatches <= 0) return units;
  const stats = await lexemeStats(db);
  if (stats.freq.size === 0 || stats.rows === 0) return [];
  const f = (w: string) => stats.freq.get(w) ?? stats.floor;
  let words = 1;
  for (const w of t.full.split(' & ')) {
    if (!w.endsWith(':*')) words *= f(w);
    else {
      const prefix = w.slice(0, -2);
      let sum = 0;
      for (const [e, x] of stats.freq) if (e.startsWith(prefix)) sum += x;
      words *= Math.min(1, Math.max(sum, stats.floor));
    }
  }
  return units.filter((u) => stats.rows * f(unitToken(u)) * words >= searchTuning.manyMatches);
}

/**
 * Runs short list queries without parallel workers and without JIT: starting workers costs 20–30 ms on
 * PostgreSQL, far more than these index probes of a few dozen pages (the planner overestimates the
 * participant branches), and at 1M documents JIT compilation took 98 ms of a 292 ms search.
 */
export function withoutParallelism<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return inTransaction(db, async (tx) => {
    await tx.execute(sql`SELECT set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true)`);
    return fn(tx);
  });
}

/** The documents of a box the person may read, filtered, searched, sorted and paginated. */
export function searchDocuments(db: Db, p: Principal, query: DocumentQuery, now: Date): Promise<DocumentPage> {
  return withoutParallelism(db, (tx) => searchIn(tx, p, query, now));
}

async function searchIn(db: Db, p: Principal, query: DocumentQuery, now: Date): Promise<DocumentPage> {
  const page = Math.max(1, Math.floor(query.page ?? 1));
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(query.pageSize ?? 20)));
  const today = localDate(now);
  const nearUntil = await nearDueUntilFor(db, p.unitId, now);
  const terms = query.q ? toTsQuery(query.q) : null;
  const sort: Sort = terms && query.sort !== 'date' ? 'relevance' : 'date';
  const keyset = sort === 'date' && !!query.cursor;
  const offset = keyset ? 0 : (page - 1) * pageSize;
  const limit = offset + pageSize + 1; // one more row tells whether there is a next page
  const filters = documentFilters(query, today, query.box);
  const rank = terms ? sql`, ts_rank(d.search_vector, ${tsq(terms)})::float8 AS rank` : sql``;

  const { rows, total, lowerBound } =
    query.box === 'assigned'
      ? await assignedBox(db, p, query, { today, nearUntil, terms, sort, offset, limit, filters, rank })
      : await documentBox(db, p, query, { terms, sort, offset, limit, filters, rank });

  const more = rows.length > pageSize;
  const pageRows = rows.slice(0, pageSize);
  const items: DocumentSummary[] = [];
  for (const r of pageRows) items.push(await summaryOf(db, r, now, nearUntil)); // in order: one connection (the transaction)
  const last = pageRows[pageRows.length - 1];
  let nextCursor: string | null = null;
  if (more && sort === 'date' && last) {
    nextCursor = query.box === 'assigned' ? encodeCursor({ k: 'a', u: !!last.a_urgent, t: last.a_key!, i: last.a_id! }) : encodeCursor({ k: 'd', t: last.created_key, i: last.id });
  }
  return { items, total: Math.min(total, COUNT_CAP), totalExact: total <= COUNT_CAP && !lowerBound, page: keyset ? 1 : page, pageSize, nextCursor };
}

type Plan = { terms: string | null; sort: Sort; offset: number; limit: number; filters: SQL[]; rank: SQL };

async function documentBox(db: Db, p: Principal, query: DocumentQuery, plan: Plan): Promise<{ rows: Row[]; total: number; lowerBound?: boolean }> {
  const { terms, sort, offset, limit, filters, rank } = plan;
  const dirs = query.box === 'all' ? (['incoming', 'outgoing'] as const) : ([query.box] as const);
  const units = await unitIdsFor(db, p, 'document.read');
  const issuing = (dirs as readonly string[]).includes('outgoing') ? await unitIdsFor(db, p, 'document.issue') : [];
  const cursor = query.cursor && sort === 'date' ? (decodeCursor(query.cursor, 'd') as DateCursor) : null;
  const after = cursor ? [sql`(d.created_at, d.id) < (${cursor.t}::timestamptz, ${cursor.i}::uuid)`] : [];
  // NULLS LAST as in the indexes (the columns are NOT NULL): otherwise no index can deliver this order.
  const byDate = sql`d.created_at DESC NULLS LAST, d.id DESC NULLS LAST`;
  const innerOrder = sort === 'relevance' ? sql`rank DESC, ${byDate}` : byDate;
  const order = sort === 'relevance' ? sql`rank DESC, created_at DESC, id DESC` : sql`created_at DESC, id DESC`;
  const text = terms ? splitTerms(terms) : null;
  const direction = sql`d.direction = ANY(${textArray(dirs)})`;

  const items: SQL[] = [];
  const counts: SQL[] = [];
  let lowerBound = false;
  const branch = (where: SQL[]) => {
    items.push(sql`(SELECT ${COLS}${rank} FROM documents d WHERE ${and([...where, ...after])} ORDER BY ${innerOrder} LIMIT ${limit})`);
    counts.push(sql`(SELECT d.id FROM documents d WHERE ${and(where)} LIMIT ${COUNT_CAP + 1})`);
  };
  // Unit branch: the readable units' non-secret documents.
  if (units.length) {
    const base = [sql`d.secrecy = 'none'`, ...filters];
    const common = text && units.length <= UNIT_TOKEN_LIMIT ? await commonInUnits(db, text, units) : [];
    for (const u of common) {
      // A common word in a large unit (the province office holds 6 % of the documents): each direction is
      // walked newest first (documents_unit_dir_created_idx, the unit a constant so the planner knows its
      // size); relevance ranks the newest RANK_WINDOW matches only.
      for (const dir of dirs) {
        const where = and([sql`d.unit_id = ${u}`, sql`d.direction = ${dir}`, onRow(text!), ...base]);
        const window = sort === 'relevance' ? Math.max(RANK_WINDOW, limit) : limit;
        items.push(sql`(SELECT ${COLS}${rank} FROM (SELECT * FROM documents d WHERE ${where} ${after.length ? sql`AND ${and(after)}` : sql``}
                          ORDER BY ${byDate} LIMIT ${window}) d ORDER BY ${innerOrder} LIMIT ${limit})`);
        counts.push(sql`(SELECT d.id FROM documents d WHERE ${where} LIMIT ${COUNT_CAP + 1})`);
      }
    }
    const rest = common.length ? units.filter((u) => !common.includes(u)) : units;
    if (rest.length === 0) {
      // every readable unit is walked above
    } else if (text && units.length <= UNIT_TOKEN_LIMIT) {
      // One GIN scan intersecting the words with the unit tokens. A prefix goes to the index only when few
      // documents hold a word starting with it, and fewer than hold the exact words (prefixToIndex: a common
      // syllable expands to a huge bitmap); otherwise it is checked on the rows found — with the unit tokens
      // alone for a prefix typed on its own.
      const tokens = rest.map(unitToken).join(' | ');
      const words = (await prefixToIndex(db, text)) ? text.full : text.exact;
      const indexed = words ? `(${words}) & (${tokens})` : tokens;
      branch([sql`d.search_vector @@ ${tsq(indexed)}`, onRow(text), sql`d.unit_id = ANY(${uuidArray(rest)})`, direction, ...base]);
    } else if (text) {
      // A reader of most of the province: a common word matches a large share of the table, and a GIN
      // scan then reads all of it. The newest WINDOW readable documents (documents_created_idx) are read
      // first; when they hold enough matches, the page comes from them (relevance ranks these recent
      // matches; the total is then a lower bound); otherwise the words are rare and the GIN scan is cheap.
      const scope = [sql`d.unit_id = ANY(${uuidArray(units)})`, direction, ...base];
      const recent = sql`(SELECT * FROM documents d WHERE ${and([...scope, ...after])} ORDER BY ${byDate} LIMIT ${WINDOW})`;
      const [w] = await queryRows<{ n: number | string; m: number | string }>(db, sql`SELECT count(*) AS n, count(*) FILTER (WHERE ${onRow(text)}) AS m FROM ${recent} d`);
      if (Number(w.m) >= limit) {
        items.push(sql`(SELECT ${COLS}${rank} FROM ${recent} d WHERE ${onRow(text)} ORDER BY ${innerOrder} LIMIT ${limit})`);
        counts.push(sql`(SELECT d.id FROM ${recent} d WHERE ${onRow(text)} LIMIT ${COUNT_CAP + 1})`);
        lowerBound = Number(w.n) >= WINDOW;
      } else {
        // Rare words: let GIN find them. A prefix is expanded over every matching word's postings, exact
        // words are intersected cheaply: index the prefix only when it is rarer than the exact words.
        const full = text.exact ? await prefixToIndex(db, text) : true;
        branch(full ? [sql`d.search_vector @@ ${tsq(text.full)}`, ...scope] : [sql`d.search_vector @@ ${tsq(text.exact!)}`, onRow(text), ...scope]);
      }
    } else if (units.length <= MANY_UNITS) {
      // One ordered, LIMITed probe of (unit_id, direction, created_at, id) per unit and direction.
      items.push(sql`(SELECT y.* FROM (SELECT x.* FROM unnest(${uuidArray(units)}) AS u(id) CROSS JOIN unnest(${textArray(dirs)}) AS dir(v)
        CROSS JOIN LATERAL (SELECT ${COLS} FROM documents d WHERE ${and([sql`d.unit_id = u.id`, sql`d.direction = dir.v`, ...base, ...after])}
                            ORDER BY ${byDate} LIMIT ${limit}) x) y ORDER BY y.created_at DESC NULLS LAST, y.id DESC NULLS LAST LIMIT ${limit})`);
      counts.push(sql`(SELECT d.id FROM documents d WHERE ${and([sql`d.unit_id = ANY(${uuidArray(units)})`, direction, ...base])} LIMIT ${COUNT_CAP + 1})`);
    } else {
      // A reader of many units (most of the table): one scan of (created_at, id) newest first, filtered by unit.
      branch([sql`d.unit_id = ANY(${uuidArray(units)})`, direction, ...base]);
    }
  }
  // Issuing clerks: the unit's approved, issued and recalled outgoing documents, secret ones included. Where
  // the unit branch already gives the non-secret ones, only the secret ones (documents_secret_idx).
  if (issuing.length) {
    const coveredByUnits = issuing.every((u) => units.includes(u));
    branch([
      sql`d.unit_id = ANY(${uuidArray(issuing)})`,
      ...(coveredByUnits ? [sql`d.secrecy <> 'none'`] : []),
      sql`d.direction = 'outgoing'`,
      sql`d.status IN ('approved', 'issued', 'recalled')`,
      ...filters,
      ...(text ? [onRow(text)] : []),
    ]);
  }
  // Participant branches: created, signs, was presented, and handles or reviews. The text is checked on
  // their rows, never by a whole-table GIN scan.
  const common = [direction, ...filters, ...(text ? [onRow(text)] : [])];
  branch([participantDocuments(p, 'created_by', units), ...common]);
  branch([participantDocuments(p, 'signer_user_id', units), ...common]);
  branch([participantDocuments(p, 'presented_to', units), ...common]);
  branch([sql`d.id IN (${participantIds(p)})`, ...common]);

  // One after the other: both run in the caller's transaction, on one connection.
  const rows = await queryRows<Row>(
    db,
    sql`SELECT x.*, EXISTS (SELECT 1 FROM document_reads r WHERE r.user_id = ${p.userId} AND r.document_id = x.id) AS is_read
          FROM (${sql.join(items, sql` UNION `)}) x ORDER BY ${order} LIMIT ${limit - offset} OFFSET ${offset}`,
  );
  const n = await queryRows<{ n: number | string }>(db, sql`SELECT count(*) AS n FROM (${sql.join(counts, sql` UNION `)}) c`);
  return { rows, total: Number(n[0].n), lowerBound };
}

async function assignedBox(db: Db, p: Principal, query: DocumentQuery, plan: Plan & { today: string; nearUntil: string }): Promise<{ rows: Row[]; total: number; lowerBound?: boolean }> {
  const { terms, sort, offset, limit, filters, rank, today, nearUntil } = plan;
  const cursor = query.cursor && sort === 'date' ? (decodeCursor(query.cursor, 'a') as InboxCursor) : null;
  const conds = [
    sql`a.status NOT IN ${NOT_IN_INBOX}`,
    sql`NOT a.document_recalled`,
    ...(query.state ? [stateCondition(query.state, today, nearUntil)] : []),
    ...(query.overdue !== undefined ? [query.overdue ? stateCondition('overdue', today, nearUntil) : sql`NOT (${stateCondition('overdue', today, nearUntil)})`] : []),
    ...filters,
    ...(terms ? [onRow(splitTerms(terms))] : []),
  ];
  const after = cursor ? [sql`(a.urgent, a.assigned_at, a.id) < (${cursor.u}, ${cursor.t}::timestamptz, ${cursor.i}::uuid)`] : [];
  const inboxOrder = sql`a.urgent DESC NULLS LAST, a.assigned_at DESC NULLS LAST, a.id DESC NULLS LAST`; // as assignments_user_list_idx
  const innerOrder = sort === 'relevance' ? sql`a.urgent DESC NULLS LAST, rank DESC, a.assigned_at DESC NULLS LAST, a.id DESC NULLS LAST` : inboxOrder;
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
  // Without conditions on the document, the total comes from the assignments' index alone.
  const onDocument = filters.length > 0 || !!terms;
  const counts = branches.map((b) =>
    onDocument
      ? sql`(SELECT a.id FROM assignments a JOIN documents d ON d.id = a.document_id WHERE ${and([...b.who, ...conds])} LIMIT ${COUNT_CAP + 1})`
      : sql`(SELECT a.id FROM assignments a WHERE ${and([...b.who, ...conds])} LIMIT ${COUNT_CAP + 1})`,
  );
  // One after the other: both run in the caller's transaction, on one connection.
  const rows = await queryRows<Row>(
    db,
    sql`SELECT x.*, EXISTS (SELECT 1 FROM document_reads r WHERE r.user_id = ${p.userId} AND r.document_id = x.id) AS is_read
          FROM (${sql.join(items, sql` UNION ALL `)}) x ORDER BY ${order} LIMIT ${limit - offset} OFFSET ${offset}`,
  );
  const n = await queryRows<{ n: number | string }>(db, sql`SELECT count(*) AS n FROM (${sql.join(counts, sql` UNION ALL `)}) c`);
  return { rows, total: Number(n[0].n) };
}

async function summaryOf(db: Db, r: Row, now: Date, nearUntil: string): Promise<DocumentSummary> {
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
    ? { id: r.a_id, role: r.a_role!, status: r.a_status!, dueDate: r.a_due ?? null, deadlineState: deadlineState(r.a_due ?? null, r.a_completed ? new Date(r.a_completed) : null, now, nearUntil) }
    : undefined;
  return presentSummary(db, doc, now, { read: !!r.is_read, ...(myAssignment ? { myAssignment } : {}), ...(r.rank !== undefined && r.rank !== null ? { rank: Number(r.rank) } : {}) });
}
