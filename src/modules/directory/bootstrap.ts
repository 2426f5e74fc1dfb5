import { eq } from 'drizzle-orm';
import type { ActorContext } from '../../core/audit/index.js';
import { hashPassword } from '../../core/auth/password.js';
import { type Db, inTransaction } from '../../core/db/index.js';
import { validationFailed } from '../../core/errors/index.js';
import { officialInputProblems, insertOfficial } from './officials.js';
import { units } from './schema.js';
import { type UnitInput, insertUnit, unitInputProblems } from './units.js';

export type BootstrapInput = {
  username: string;
  fullName: string;
  password: string;
  /** The unit the admin belongs to: an existing one by agency code, or a new root unit. */
  unit: Omit<UnitInput, 'parentId'> & { agencyCode: string };
};

/**
 * First system administrator of a production deployment (no demo data there): `lienthong create-admin`.
 * Uses the existing unit with that agency code, or creates it as a root unit.
 */
export async function bootstrapAdmin(db: Db, input: BootstrapInput, ctx: ActorContext): Promise<{ userId: string; unitCreated: boolean }> {
  const errors = [...officialInputProblems({ username: input.username, fullName: input.fullName, password: input.password }), ...unitInputProblems(input.unit)];
  if (errors.length) throw validationFailed(errors);
  const passwordHash = await hashPassword(input.password);
  return inTransaction(db, async (tx) => {
    let [unit] = await tx.select().from(units).where(eq(units.agencyCode, input.unit.agencyCode)).limit(1);
    const unitCreated = !unit;
    if (!unit) unit = await insertUnit(tx, null, { ...input.unit, parentId: null }, ctx);
    const userId = await insertOfficial(
      tx,
      { username: input.username, fullName: input.fullName, positionTitle: 'Quản trị hệ thống', unitId: unit.id, passwordHash, roles: [{ unitId: unit.id, role: 'admin' }] },
      ctx,
    );
    return { userId, unitCreated };
  });
}
