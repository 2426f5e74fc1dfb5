import { eq } from 'drizzle-orm';
import { type Db, perDatabase } from '../db/index.js';
import { settings } from './schema.js';

export { settings } from './schema.js';

// Small per-process cache, per database (a transaction shares its database's entries; two databases in one process,
// as in the two-deployment tests, never see each other's values): settings are read on every request but change rarely.
const cacheOf = perDatabase(() => new Map<string, { value: unknown; at: number }>());
const TTL_MS = 5_000;

export async function getSetting<T>(db: Db, key: string, fallback: T): Promise<T> {
  const cache = cacheOf(db);
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value as T;
  const [row] = await db.select().from(settings).where(eq(settings.key, key)).limit(1);
  const value = (row?.value as T | undefined) ?? fallback;
  cache.set(key, { value, at: Date.now() });
  return value;
}

export async function putSetting(tx: Db, key: string, value: unknown, now: Date): Promise<void> {
  await tx
    .insert(settings)
    .values({ key, value, updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } });
  cacheOf(tx).delete(key);
}

export const SECURITY_KEY = 'security';
export type SecuritySettings = { requireTwoFactorRoles: string[] };
export const defaultSecurity: SecuritySettings = { requireTwoFactorRoles: [] };
