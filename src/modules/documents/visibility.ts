import { eq, sql, type SQL } from 'drizzle-orm';
import { type Action, type Principal, scopeFor } from '../../core/access/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import { notFound } from '../../core/errors/index.js';
import { isUuid } from '../../core/ids/index.js';
import { documents } from './schema.js';

export type DocumentRow = typeof documents.$inferSelect;

/**
 * Who sees a document (the one rule, used by every list, search and detail):
 * - clerks and leaders of the owning unit (or an ancestor where they hold the role) see the unit's
 *   documents, except secret ones (Mật and above), which only the registering clerk, the leader it was
 *   presented to and the handlers that leader named may see;
 * - anyone else only what they take part in: drafted, sign, review, or handle (personally, or as a
 *   leader/clerk of a unit the document was assigned to).
 * - the issuing unit's clerks also see its approved, issued and recalled outgoing documents, secret ones
 *   included (they number, register and send them);
 * Everything else answers 404, so existence is not revealed.
 */

/** Ids of the units (with their subtrees) where the principal holds a role granting `action`. */
export async function unitIdsFor(db: Db, p: Principal, action: Action): Promise<string[]> {
  const scope = scopeFor(p, action);
  if (scope.all) {
    return (await queryRows<{ id: string }>(db, sql`SELECT id FROM units`)).map((r) => r.id);
  }
  if (scope.paths.length === 0) return [];
  const prefixes = `{${scope.paths.map((x) => `"${x}%"`).join(',')}}`;
  const rows = await queryRows<{ id: string }>(db, sql`SELECT id FROM units WHERE path LIKE ANY (${prefixes}::text[])`);
  return rows.map((r) => r.id);
}

/** Units whose unit-addressed assignments land in this person's inbox (leaders, deputies and clerks there). */
export function inboxUnitIds(p: Principal): string[] {
  return [...new Set(p.roles.filter((r) => r.role === 'leader' || r.role === 'deputy_leader' || r.role === 'clerk').map((r) => r.unitId))];
}

const uuidArray = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

/** Outgoing states the issuing clerk handles, secret or not. */
export const ISSUING_STATES = ['approved', 'issued', 'recalled'] as const;

/**
 * SQL condition on a `documents` row aliased `d`, for lists and search. `issueUnitIds` (units where the
 * caller holds document.issue) lets clerks see the secret outgoing documents they issue.
 */
export function readCondition(p: Principal, readUnitIds: string[], issueUnitIds: string[] = []): SQL {
  const me = p.userId;
  const participant = sql`(d.created_by = ${me} OR d.signer_user_id = ${me} OR d.presented_to = ${me}
    OR EXISTS (SELECT 1 FROM assignments a WHERE a.document_id = d.id AND a.status <> 'cancelled'
               AND (a.assignee_user_id = ${me} OR a.assignee_unit_id = ANY(${uuidArray(inboxUnitIds(p))})))
    OR EXISTS (SELECT 1 FROM document_reviews r WHERE r.document_id = d.id AND r.reviewer_user_id = ${me}))`;
  const issuing = issueUnitIds.length
    ? sql` OR (d.direction = 'outgoing' AND d.status IN ('approved', 'issued', 'recalled') AND d.unit_id = ANY(${uuidArray(issueUnitIds)}))`
    : sql``;
  if (readUnitIds.length === 0) return sql`(${participant}${issuing})`;
  return sql`((d.unit_id = ANY(${uuidArray(readUnitIds)}) AND d.secrecy = 'none') OR ${participant}${issuing})`;
}

/** Is the principal allowed to read this document? (Same rule as readCondition, for one row.) */
export async function canRead(db: Db, p: Principal, doc: DocumentRow): Promise<boolean> {
  if (p.kind !== 'official') return false;
  const me = p.userId;
  if (doc.createdBy === me || doc.signerUserId === me || doc.presentedTo === me) return true;
  if (doc.secrecy === 'none') {
    const ids = await unitIdsFor(db, p, 'document.read');
    if (ids.includes(doc.unitId)) return true;
  }
  if (doc.direction === 'outgoing' && (ISSUING_STATES as readonly string[]).includes(doc.status)) {
    if ((await unitIdsFor(db, p, 'document.issue')).includes(doc.unitId)) return true;
  }
  const [hit] = await queryRows<{ ok: number }>(
    db,
    sql`SELECT 1 AS ok WHERE EXISTS (SELECT 1 FROM assignments a WHERE a.document_id = ${doc.id} AND a.status <> 'cancelled'
          AND (a.assignee_user_id = ${me} OR a.assignee_unit_id = ANY(${uuidArray(inboxUnitIds(p))})))
       OR EXISTS (SELECT 1 FROM document_reviews r WHERE r.document_id = ${doc.id} AND r.reviewer_user_id = ${me})`,
  );
  return !!hit;
}

export async function findDocument(db: Db, id: string): Promise<DocumentRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [d] = await db.select().from(documents).where(eq(documents.id, id)).limit(1);
  return d;
}

/** The document if the principal may read it; 404 otherwise. */
export async function readableDocument(db: Db, p: Principal, id: string): Promise<DocumentRow> {
  const d = await findDocument(db, id);
  if (!d || !(await canRead(db, p, d))) throw notFound('Văn bản');
  return d;
}

/** Row-locked read inside a transaction, for state changes (after the caller checked readability). */
export async function lockDocument(tx: Db, id: string): Promise<DocumentRow> {
  const [d] = await tx.select().from(documents).where(eq(documents.id, id)).for('update').limit(1);
  if (!d) throw notFound('Văn bản');
  return d;
}

/** Does the principal hold a role granting `action` over the unit (or an ancestor of it)? */
export async function holdsFor(db: Db, p: Principal, action: Action, unitId: string): Promise<boolean> {
  return (await unitIdsFor(db, p, action)).includes(unitId);
}
