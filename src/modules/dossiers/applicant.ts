import { sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import { type FieldError, validationFailed } from '../../core/errors/index.js';
import { isUuid } from '../../core/ids/index.js';
import { idNumberProblem } from '../directory/index.js';
import { readableCondition } from './policy.js';
import type { Applicant } from './schema.js';

/**
 * The applicant (người nộp hồ sơ): a registered citizen (their account, so the dossier shows in "my
 * dossiers"), or a person written on the dossier at the counter (name, ID number, contacts). A written
 * ID number that belongs to a registered citizen links the dossier to that account too.
 */

export type ApplicantInput = { citizenId?: string | null; name?: string | null; idNumber?: string | null; phone?: string | null; email?: string | null; address?: string | null };

const clean = (s: string | null | undefined): string | null => {
  const t = s?.normalize('NFC').replace(/\s+/g, ' ').trim();
  return t ? t : null;
};

type CitizenRow = { id: string; full_name: string; id_number: string; phone: string | null; email: string | null };

async function citizenBy(db: Db, where: { id?: string; idNumber?: string }): Promise<CitizenRow | undefined> {
  const cond = where.id ? sql`u.id = ${where.id}` : sql`c.id_number = ${where.idNumber}`;
  const [row] = await queryRows<CitizenRow>(db, sql`SELECT u.id, u.full_name, c.id_number, u.phone, u.email FROM users u JOIN citizens c ON c.user_id = u.id WHERE ${cond} AND u.kind = 'citizen' LIMIT 1`);
  return row;
}

function problems(a: Applicant): FieldError[] {
  const errors: FieldError[] = [];
  if (!a.name) errors.push({ field: 'applicant.name', message: 'Nhập họ và tên người nộp hồ sơ.' });
  if (a.idNumber) {
    const m = idNumberProblem(a.idNumber);
    if (m) errors.push({ field: 'applicant.idNumber', message: m });
  }
  if (a.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a.email)) errors.push({ field: 'applicant.email', message: 'Địa chỉ e-mail không hợp lệ.' });
  if (a.phone && !/^\+?[0-9 .()-]{8,20}$/.test(a.phone)) errors.push({ field: 'applicant.phone', message: 'Số điện thoại không hợp lệ.' });
  return errors;
}

/** The applicant snapshot and the citizen account behind it (if any). */
export async function resolveApplicant(db: Db, p: Principal, input: ApplicantInput): Promise<{ applicant: Applicant; userId: string | null }> {
  const contact = { phone: clean(input.phone), email: clean(input.email), address: clean(input.address) };
  if (p.kind === 'citizen') {
    const me = await citizenBy(db, { id: p.userId });
    if (!me) throw validationFailed([{ field: 'applicant', message: 'Tài khoản chưa có số CCCD.' }]);
    const applicant: Applicant = { name: me.full_name, idNumber: me.id_number, phone: contact.phone ?? me.phone, email: contact.email ?? me.email, address: contact.address };
    const errors = problems(applicant);
    if (errors.length) throw validationFailed(errors);
    return { applicant, userId: me.id };
  }
  if (input.citizenId) {
    const c = isUuid(input.citizenId) ? await citizenBy(db, { id: input.citizenId }) : undefined;
    if (!c) throw validationFailed([{ field: 'applicant.citizenId', message: 'Không tìm thấy công dân.' }]);
    const applicant: Applicant = { name: c.full_name, idNumber: c.id_number, phone: contact.phone ?? c.phone, email: contact.email ?? c.email, address: contact.address };
    const errors = problems(applicant);
    if (errors.length) throw validationFailed(errors);
    return { applicant, userId: c.id };
  }
  const applicant: Applicant = { name: clean(input.name) ?? '', idNumber: clean(input.idNumber), ...contact };
  const errors = problems(applicant);
  if (errors.length) throw validationFailed(errors);
  const linked = applicant.idNumber ? await citizenBy(db, { idNumber: applicant.idNumber }) : undefined;
  return { applicant, userId: linked?.id ?? null };
}

export type FoundApplicant = { source: 'citizen' | 'dossier'; citizenId: string | null; applicant: Applicant };

/**
 * Counter lookup by ID number: the registered citizen, else the person as written on the latest
 * dossier the officer may read (so a returning applicant's address and phone need not be typed again).
 */
export async function findApplicant(db: Db, p: Principal, idNumber: string): Promise<FoundApplicant | null> {
  const id = idNumber.trim();
  if (!/^\d{9,12}$/.test(id)) return null;
  const c = await citizenBy(db, { idNumber: id });
  const [last] = await queryRows<{ applicant: Applicant | string }>(
    db,
    sql`SELECT d.applicant FROM dossiers d WHERE d.applicant_id_number = ${id} AND ${readableCondition(p)} ORDER BY d.created_at DESC LIMIT 1`,
  );
  const previous = last ? (typeof last.applicant === 'string' ? (JSON.parse(last.applicant) as Applicant) : last.applicant) : null;
  if (c) {
    return {
      source: 'citizen',
      citizenId: c.id,
      applicant: { name: c.full_name, idNumber: c.id_number, phone: c.phone ?? previous?.phone ?? null, email: c.email ?? previous?.email ?? null, address: previous?.address ?? null },
    };
  }
  return previous ? { source: 'dossier', citizenId: null, applicant: previous } : null;
}
