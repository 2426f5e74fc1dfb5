import { asc, eq, sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import { isUuid } from '../../core/ids/index.js';
import type { DocumentDetail } from './api.js';
import { unitsWithSubordinates } from './assignments-people.js';
import { type Item, type Paths, actionsFor, myOpenItems, workUnitOf } from './assignments-rules.js';
import { assignments } from './schema.js';
import type { DocumentRow } from './visibility.js';

export type AssignmentRow = typeof assignments.$inferSelect;

/** Paths of the given units (the document's unit and the units items are addressed to). */
export async function unitPaths(db: Db, unitIds: (string | null | undefined)[]): Promise<Paths> {
  const ids = [...new Set(unitIds.filter((x): x is string => !!x && isUuid(x)))];
  if (ids.length === 0) return new Map();
  const rows = await queryRows<{ id: string; path: string }>(db, sql`SELECT id, path FROM units WHERE id = ANY(${`{${ids.join(',')}}`}::uuid[])`);
  return new Map(rows.map((r) => [r.id, r.path]));
}

export type DocState = { items: AssignmentRow[]; paths: Paths; docPath: string };

/** A document's assignments (locked when `lock`) and the unit paths the rules need. */
export async function loadState(tx: Db, doc: DocumentRow, lock = false): Promise<DocState> {
  const q = tx.select().from(assignments).where(eq(assignments.documentId, doc.id)).orderBy(asc(assignments.assignedAt), asc(assignments.id));
  const items = lock ? await q.for('update') : await q;
  const paths = await unitPaths(tx, [doc.unitId, ...items.map((a) => a.assigneeUnitId)]);
  return { items, paths, docPath: paths.get(doc.unitId) ?? '' };
}

/**
 * Actions the caller may take now on a document ('present', 'assign', 'reassign', 'progress', 'return',
 * 'handover', 'forward', 'complete', 'unread'): the web app shows these buttons; the routes enforce the same rules.
 */
export async function assignmentActions(db: Db, p: Principal, doc: DocumentRow, detail: DocumentDetail): Promise<string[]> {
  const items: Item[] = detail.assignments.map((a) => ({
    id: a.id,
    role: a.role,
    status: a.status,
    assigneeUserId: a.assigneeUserId,
    assigneeUnitId: a.assigneeUnitId,
    parentId: a.parentId,
    assignedBy: a.assignedBy,
  }));
  const paths = await unitPaths(db, [doc.unitId, ...items.map((a) => a.assigneeUnitId)]);
  const mine = doc.direction === 'incoming' ? myOpenItems(p, items, paths, { roles: ['lead', 'co'] }) : [];
  const withSubs = await unitsWithSubordinates(db, mine.map((a) => workUnitOf(items, a, doc.unitId)));
  return actionsFor(p, doc, paths.get(doc.unitId) ?? '', items, paths, (id) => withSubs.has(id));
}
