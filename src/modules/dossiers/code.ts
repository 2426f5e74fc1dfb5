import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../core/db/index.js';
import { AppError } from '../../core/errors/index.js';
import { localParts } from './time.js';

/**
 * Dossier codes (mã hồ sơ): `<agency id>-<yyMMdd>-<NNNN>` (practice since Circular 01/2018), e.g.
 * `000.00.07.H26-260312-0042`. The counter runs per receiving unit per local day (Asia/Ho_Chi_Minh).
 */

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** yyMMdd of the local date. */
export function codeDay(at: Date): string {
  const p = localParts(at);
  return `${pad(p.year % 100, 2)}${pad(p.month, 2)}${pad(p.day, 2)}`;
}

/** The counter has four digits; past 9999 in one day it simply grows (the code stays unique). */
export function formatDossierCode(agencyCode: string, at: Date, n: number): string {
  return `${agencyCode}-${codeDay(at)}-${pad(n, 4)}`;
}

export const DOSSIER_CODE = /^[0-9A-Z]{1,5}(\.[0-9A-Z]{1,5}){0,6}-\d{6}-\d{4,}$/;

/** The agency id for codes: the unit's own, else the nearest ancestor's (an internal unit uses its agency's). */
export async function agencyCodeFor(db: Db, unitId: string): Promise<string> {
  const [row] = await queryRows<{ agency_code: string | null }>(
    db,
    sql`SELECT a.agency_code FROM units u JOIN units a ON u.path LIKE a.path || '%'
         WHERE u.id = ${unitId} AND a.agency_code IS NOT NULL ORDER BY a.depth DESC LIMIT 1`,
  );
  if (!row?.agency_code) {
    throw new AppError(422, 'no-agency-code', 'Đơn vị chưa có mã định danh', 'Đơn vị tiếp nhận (và các cấp trên) chưa có mã định danh, nên không cấp được mã hồ sơ. Quản trị viên cần nhập mã định danh cho đơn vị.');
  }
  return row.agency_code;
}

/**
 * Takes the next number of the unit's counter for the local day, in the caller's transaction: one
 * `INSERT … ON CONFLICT DO UPDATE … RETURNING` on the (unit, day) row, so concurrent receptions queue
 * on that row and get consecutive numbers, and a rolled-back reception gives its number back.
 */
export async function nextDossierCode(tx: Db, unitId: string, at: Date): Promise<string> {
  const agency = await agencyCodeFor(tx, unitId);
  const p = localParts(at);
  const day = `${p.year}-${pad(p.month, 2)}-${pad(p.day, 2)}`;
  const [row] = await queryRows<{ last_number: number }>(
    tx,
    sql`INSERT INTO dossier_code_counters (unit_id, day, last_number) VALUES (${unitId}, ${day}, 1)
        ON CONFLICT (unit_id, day) DO UPDATE SET last_number = dossier_code_counters.last_number + 1
        RETURNING last_number`,
  );
  return formatDossierCode(agency, at, row.last_number);
}
