import { and, desc, eq, sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { conflict, notFound, unprocessable } from '../../core/errors/index.js';
import { isUuid, newId } from '../../core/ids/index.js';
import { savedSearches } from './schema.js';
import type { Box, DocumentFilters, Sort } from './search.js';

/** A person's saved searches (tìm kiếm đã lưu): a name and the list's query parameters. Only the owner sees them. */

export type SavedQuery = DocumentFilters & { box: Box; sort?: Sort };
export type SavedSearch = { id: string; name: string; query: SavedQuery; createdAt: string };

export const MAX_SAVED_SEARCHES = 50;

const present = (r: typeof savedSearches.$inferSelect): SavedSearch => ({ id: r.id, name: r.name, query: r.query as SavedQuery, createdAt: r.createdAt.toISOString() });

export async function listSavedSearches(db: Db, p: Principal): Promise<SavedSearch[]> {
  const rows = await db.select().from(savedSearches).where(eq(savedSearches.userId, p.userId)).orderBy(desc(savedSearches.createdAt), desc(savedSearches.id)).limit(MAX_SAVED_SEARCHES);
  return rows.map(present);
}

export async function createSavedSearch(db: Db, p: Principal, input: { name: string; query: SavedQuery }, ctx: ActorContext): Promise<SavedSearch> {
  const name = input.name.normalize('NFC').trim();
  // Keep only the parameters that are set: the saved query is what the list URL would carry.
  const query = Object.fromEntries(Object.entries(input.query).filter(([, v]) => v !== undefined && v !== '')) as SavedQuery;
  return inTransaction(db, async (tx) => {
    // One writer per person at a time, so the limit and the unique name hold under concurrency.
    await queryRows(tx, sql`SELECT pg_advisory_xact_lock(hashtext(${`saved_searches:${p.userId}`}))`);
    const mine = await tx.select({ name: savedSearches.name }).from(savedSearches).where(eq(savedSearches.userId, p.userId));
    if (mine.length >= MAX_SAVED_SEARCHES) {
      throw unprocessable('Đã đạt số tìm kiếm lưu tối đa', `Mỗi người lưu được tối đa ${MAX_SAVED_SEARCHES} tìm kiếm; hãy xóa bớt tìm kiếm cũ.`);
    }
    if (mine.some((m) => m.name.toLocaleLowerCase('vi') === name.toLocaleLowerCase('vi'))) throw conflict(`Đã có tìm kiếm đã lưu tên "${name}".`, 'duplicate-name');
    const [row] = await tx.insert(savedSearches).values({ id: newId(), userId: p.userId, name, query, createdAt: ctx.now }).returning();
    await writeAudit(tx, ctx, { action: 'saved_search.create', objectType: 'saved_search', objectId: row.id, unitId: p.unitId, summary: { name, query } });
    return present(row);
  });
}

export async function deleteSavedSearch(db: Db, p: Principal, id: string, ctx: ActorContext): Promise<void> {
  if (!isUuid(id)) throw notFound('Tìm kiếm đã lưu');
  await inTransaction(db, async (tx) => {
    const rows = await tx
      .delete(savedSearches)
      .where(and(eq(savedSearches.id, id), eq(savedSearches.userId, p.userId)))
      .returning({ id: savedSearches.id, name: savedSearches.name });
    if (!rows.length) throw notFound('Tìm kiếm đã lưu');
    await writeAudit(tx, ctx, { action: 'saved_search.delete', objectType: 'saved_search', objectId: id, unitId: p.unitId, summary: { name: rows[0].name } });
  });
}
