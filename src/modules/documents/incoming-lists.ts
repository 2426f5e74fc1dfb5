import { asc, sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type Db, containsPattern, queryRows } from '../../core/db/index.js';
import { notFound } from '../../core/errors/index.js';
import { isUuid } from '../../core/ids/index.js';
import { typeInForce } from './incoming-rules.js';
import { localDate, localYear } from './numbering.js';
import { documentTypes } from './schema.js';
import { unitIdsFor } from './visibility.js';

/** Reference lists of the registration form: document types, register books, issuers. */

export type DocumentTypeItem = { code: string; name: string; abbreviation: string | null; legalNormative: boolean; validFrom: string; validTo: string | null; inForce: boolean };

/** Decree 30's types, in their order; only those in force today unless `all`. */
export async function listDocumentTypes(db: Db, now: Date, all = false): Promise<DocumentTypeItem[]> {
  const today = localDate(now);
  const rows = await db.select().from(documentTypes).orderBy(asc(documentTypes.sortOrder), asc(documentTypes.code));
  return rows
    .map((t) => ({ code: t.code, name: t.name, abbreviation: t.abbreviation, legalNormative: t.legalNormative, validFrom: t.validFrom, validTo: t.validTo, inForce: typeInForce(t, today) }))
    .filter((t) => all || t.inForce);
}

export type BookItem = { id: string; unitId: string; unitName: string; direction: 'incoming' | 'outgoing'; series: string; name: string; active: boolean; year: number; lastNumber: number };

/** Register books of the units whose documents the caller may read (clerks, leaders), with this year's last number. */
export async function listRegisterBooks(
  db: Db,
  p: Principal,
  q: { direction?: 'incoming' | 'outgoing'; unitId?: string; year?: number; page: number; pageSize: number },
  now: Date,
): Promise<{ items: BookItem[]; total: number }> {
  const readable = await unitIdsFor(db, p, 'document.read');
  if (q.unitId && (!isUuid(q.unitId) || !readable.includes(q.unitId))) throw notFound('Đơn vị');
  const units = q.unitId ? [q.unitId] : readable;
  if (units.length === 0) return { items: [], total: 0 };
  const year = q.year ?? localYear(now);
  const where = sql`b.unit_id = ANY(${`{${units.join(',')}}`}::uuid[]) ${q.direction ? sql`AND b.direction = ${q.direction}` : sql``}`;
  const [{ n }] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM register_books b WHERE ${where}`);
  const rows = await queryRows<{ id: string; unit_id: string; unit_name: string; direction: 'incoming'; series: string; name: string; active: boolean; last_number: number | null }>(
    db,
    sql`SELECT b.id, b.unit_id, un.name AS unit_name, b.direction, b.series, b.name, b.active, c.last_number
          FROM register_books b JOIN units un ON un.id = b.unit_id
          LEFT JOIN register_counters c ON c.book_id = b.id AND c.year = ${year}
         WHERE ${where}
         ORDER BY un.path, b.direction, b.series, b.id
         LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
  );
  return {
    total: n,
    items: rows.map((r) => ({ id: r.id, unitId: r.unit_id, unitName: r.unit_name, direction: r.direction, series: r.series, name: r.name, active: r.active, year, lastNumber: Number(r.last_number ?? 0) })),
  };
}

export type AgencyItem = { id: string; name: string; agencyCode: string | null };

/**
 * Agencies of the deployment an incoming document may come from (name and agency code, as published
 * in the province's list of agency identifiers): the issuer picker of the registration form.
 */
export async function listAgencies(db: Db, q: { q?: string; page: number; pageSize: number }): Promise<{ items: AgencyItem[]; total: number }> {
  const text = q.q?.trim();
  const where = sql`active ${text ? sql`AND (name ILIKE ${containsPattern(text)} OR agency_code ILIKE ${containsPattern(text)})` : sql``}`;
  const [{ n }] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM units WHERE ${where}`);
  const rows = await queryRows<{ id: string; name: string; agency_code: string | null }>(
    db,
    sql`SELECT id, name, agency_code FROM units WHERE ${where} ORDER BY depth, name, id LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
  );
  return { total: n, items: rows.map((r) => ({ id: r.id, name: r.name, agencyCode: r.agency_code })) };
}
