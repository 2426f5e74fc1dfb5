import { and, eq, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../core/db/index.js';
import { newId } from '../../core/ids/index.js';
import { registerBooks } from './schema.js';

export type Direction = 'incoming' | 'outgoing';
export type BookRow = typeof registerBooks.$inferSelect;

/**
 * Series of a register book (sổ văn bản): regular documents, secret documents (separate numbering,
 * Decree 30 art. 15), and legal normative documents, one series per type (their symbol carries the year).
 */
export function seriesFor(doc: { secrecy: string; legalNormative?: boolean; typeCode: string }): string {
  if (doc.secrecy !== 'none') return 'secret';
  if (doc.legalNormative) return `legal:${doc.typeCode}`;
  return 'regular';
}

export function defaultBookName(direction: Direction, series: string): string {
  const base = direction === 'incoming' ? 'Sổ đăng ký văn bản đến' : 'Sổ đăng ký văn bản đi';
  if (series === 'secret') return `${base} mật`;
  if (series.startsWith('legal:')) return `${base} (văn bản quy phạm pháp luật, ${series.slice(6)})`;
  return base;
}

/** The unit's book for a direction and series, created on first use (concurrency-safe). */
export async function ensureBook(tx: Db, unitId: string, direction: Direction, series: string, now: Date): Promise<BookRow> {
  const find = () => findBook(tx, unitId, direction, series);
  // Nearly always the book exists: one read, no write (this runs on every registration and issue).
  const [existing] = await find();
  if (existing) return existing;
  await tx
    .insert(registerBooks)
    .values({ id: newId(), unitId, direction, series, name: defaultBookName(direction, series), createdAt: now })
    .onConflictDoNothing({ target: [registerBooks.unitId, registerBooks.direction, registerBooks.series] });
  const [book] = await find();
  return book;
}

/** The unit's book for a direction and series, if it exists yet (read-only; ensureBook creates it). */
export function findBook(db: Db, unitId: string, direction: Direction, series: string): Promise<BookRow[]> {
  return db
    .select()
    .from(registerBooks)
    .where(and(eq(registerBooks.unitId, unitId), eq(registerBooks.direction, direction), eq(registerBooks.series, series)))
    .limit(1);
}

/**
 * Hands out the next number of a book for a calendar year: one atomic upsert, so two clerks
 * registering at the same instant never get the same number, and a new year starts again at 1.
 * Runs inside the caller's transaction: a rolled-back registration gives its number back.
 */
export async function nextNumber(tx: Db, bookId: string, year: number): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    tx,
    sql`INSERT INTO register_counters (book_id, year, last_number) VALUES (${bookId}, ${year}, 1)
        ON CONFLICT (book_id, year) DO UPDATE SET last_number = register_counters.last_number + 1
        RETURNING last_number AS n`,
  );
  return Number(row.n);
}

/**
 * The number nextNumber would hand out now, without taking it (a preview: the external seal prepares the PDF
 * with it; the issuance still takes its number with nextNumber and compares).
 */
export async function peekNextNumber(db: Db, bookId: string, year: number): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`SELECT coalesce(max(last_number), 0) + 1 AS n FROM register_counters WHERE book_id = ${bookId} AND year = ${year}`);
  return Number(row.n);
}

/** Calendar year in Asia/Ho_Chi_Minh (UTC+7, no DST): numbering restarts at local midnight on 1 January. */
export function localYear(at: Date): number {
  return new Date(at.getTime() + 7 * 3_600_000).getUTCFullYear();
}

/** Local date (yyyy-MM-dd) in Asia/Ho_Chi_Minh. */
export function localDate(at: Date): string {
  return new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}
