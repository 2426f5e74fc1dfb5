import { and, asc, count, eq, ilike, or, sql } from 'drizzle-orm';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { hashPassword, passwordProblems } from '../../core/auth/password.js';
import { users } from '../../core/auth/schema.js';
import { type Db, containsPattern, inTransaction } from '../../core/db/index.js';
import { conflict, validationFailed, type FieldError } from '../../core/errors/index.js';
import { newId } from '../../core/ids/index.js';
import { citizens } from './schema.js';
import { emailProblem, idNumberProblem, phoneProblem, usernameProblem } from './validation.js';

export type CitizenInput = { username: string; fullName: string; idNumber: string; phone?: string | null; email?: string | null; password: string };
export type Citizen = { id: string; username: string; fullName: string; idNumber: string; phone: string | null; email: string | null; active: boolean };

export function citizenInputProblems(input: CitizenInput): FieldError[] {
  const errors: FieldError[] = [];
  const checks: [string, string | null][] = [
    ['username', usernameProblem(input.username)],
    ['idNumber', idNumberProblem(input.idNumber)],
    ['email', input.email ? emailProblem(input.email) : null],
    ['phone', input.phone ? phoneProblem(input.phone) : null],
  ];
  for (const [field, m] of checks) if (m) errors.push({ field, message: m });
  if (!input.fullName.trim()) errors.push({ field: 'fullName', message: 'Họ và tên không được để trống.' });
  for (const message of passwordProblems(input.password, input.username)) errors.push({ field: 'password', message });
  return errors;
}

/** Public users (citizens, businesses) — a separate kind of account with a CCCD number. */
export async function createCitizen(db: Db, input: CitizenInput, ctx: ActorContext, passwordHash?: string): Promise<Citizen> {
  const errors = citizenInputProblems(input);
  if (errors.length) throw validationFailed(errors);
  const hash = passwordHash ?? (await hashPassword(input.password));
  return inTransaction(db, async (tx) => {
    const [dup] = await tx
      .select({ id: users.id })
      .from(users)
      .leftJoin(citizens, eq(citizens.userId, users.id))
      .where(or(sql`lower(${users.username}) = ${input.username.toLowerCase()}`, eq(citizens.idNumber, input.idNumber)))
      .limit(1);
    if (dup) throw conflict('Tên đăng nhập hoặc số CCCD đã được đăng ký.', 'citizen-exists');
    const id = newId();
    await tx.insert(users).values({
      id,
      kind: 'citizen',
      username: input.username.toLowerCase(),
      fullName: input.fullName.trim().normalize('NFC'),
      email: input.email || null,
      phone: input.phone || null,
      passwordHash: hash,
      createdAt: ctx.now,
      updatedAt: ctx.now,
      passwordChangedAt: ctx.now,
    });
    await tx.insert(citizens).values({ userId: id, idNumber: input.idNumber });
    await writeAudit(tx, ctx, { action: 'citizen.create', objectType: 'citizen', objectId: id, unitId: null, summary: { username: input.username } });
    return { id, username: input.username.toLowerCase(), fullName: input.fullName.trim().normalize('NFC'), idNumber: input.idNumber, phone: input.phone || null, email: input.email || null, active: true };
  });
}

export async function listCitizens(db: Db, q: { q?: string; page: number; pageSize: number }) {
  const where = and(
    eq(users.kind, 'citizen'),
    q.q ? or(ilike(users.fullName, containsPattern(q.q)), ilike(users.username, containsPattern(q.q)), eq(citizens.idNumber, q.q)) : undefined,
  );
  const [{ total }] = await db.select({ total: count() }).from(users).innerJoin(citizens, eq(citizens.userId, users.id)).where(where);
  const rows = await db
    .select({ u: users, c: citizens })
    .from(users)
    .innerJoin(citizens, eq(citizens.userId, users.id))
    .where(where)
    .orderBy(asc(users.fullName), asc(users.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const items: Citizen[] = rows.map(({ u, c }) => ({ id: u.id, username: u.username, fullName: u.fullName, idNumber: c.idNumber, phone: u.phone, email: u.email, active: u.active }));
  return { items, total, page: q.page, pageSize: q.pageSize };
}

export async function citizenIdNumber(db: Db, userId: string): Promise<string | null> {
  const [row] = await db.select({ idNumber: citizens.idNumber }).from(citizens).where(eq(citizens.userId, userId)).limit(1);
  return row?.idNumber ?? null;
}
