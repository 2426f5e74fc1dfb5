import { sql } from 'drizzle-orm';
import type { ActorContext } from '../../core/audit/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import type { FileStore } from '../../core/files/index.js';
import { DEMO_OFFICIALS } from '../directory/index.js';
import { storeFile } from '../files/index.js';
import { demoCaCertificate, initDemoCa, issueDemoCredential, openDemoCa } from './authority.js';
import { demoSealPng, demoSignaturePng } from './demo-images.js';
import { setSealImage, setSignatureImage } from './images.js';
import type { SigningRuntime } from './runtime.js';

/**
 * Demo signing data, so that a fresh `npm start` can sign: the demo CA (its root trusted), a certificate
 * and PKCS#12 for every demo leader account and every agency a demo clerk issues for, locked with DEMO_SIGNING_PIN, a
 * handwritten-signature image per leader and a seal image per agency.
 * Idempotent: does nothing once the demo CA exists, or without a signing key.
 */

/** PIN of every demo credential (documented in README, never used in production). */
export const DEMO_SIGNING_PIN = '123456';

export async function seedDemoSigning(db: Db, rt: SigningRuntime, store: FileStore, now: Date): Promise<boolean> {
  if (!rt.key || (await demoCaCertificate(db))) return false;
  const [admin] = await queryRows<{ id: string }>(db, sql`SELECT id FROM users WHERE username = 'admin'`);
  if (!admin) return false; // no demo directory
  const ctx: ActorContext = { actorId: null, actorName: 'Dữ liệu mẫu', unitId: null, requestId: null, ip: null, now };
  await initDemoCa(db, rt, ctx);
  const ca = await openDemoCa(db, rt); // unlocked once for all the demo certificates
  // The demo accounts only: a directory grown from the demo province (the benchmarks' 2,700 officials) would
  // otherwise get a key pair per leader at first start — minutes of CPU beside the requests.
  const demoUsernames = DEMO_OFFICIALS.map((o) => o.username);

  const leaders = await queryRows<{ user_id: string; full_name: string }>(
    db,
    sql`SELECT DISTINCT ra.user_id, us.full_name FROM role_assignments ra JOIN users us ON us.id = ra.user_id
         WHERE ra.role IN ('leader', 'deputy_leader') AND us.active AND us.username IN ${demoUsernames} ORDER BY us.full_name`,
  );
  for (const l of leaders) {
    await issueDemoCredential(db, rt, null, { owner: 'official', userId: l.user_id }, { pin: DEMO_SIGNING_PIN }, ctx, ca);
    const png = await storeFile(db, store, null, { content: demoSignaturePng(l.full_name), name: 'chu-ky-mau.png', contentType: 'image/png' }, ctx);
    await setSignatureImage(db, store, null, { fileId: png.id, userId: l.user_id }, ctx);
  }

  // Every agency gets the seal image; a seal certificate goes to those whose documents a demo clerk issues
  // (a clerk in their subtree) — administrators issue others under "Chứng thư số".
  const agencies = await queryRows<{ id: string; level: string; has_clerk: boolean }>(
    db,
    sql`SELECT a.id, a.level, EXISTS (SELECT 1 FROM role_assignments ra JOIN units u ON u.id = ra.unit_id JOIN users us ON us.id = ra.user_id
                                        WHERE ra.role = 'clerk' AND us.username IN ${demoUsernames} AND u.path LIKE a.path || '%') AS has_clerk
          FROM units a WHERE a.kind IN ('people_committee', 'department') AND a.active ORDER BY a.depth, a.name`,
  );
  const seal = await storeFile(db, store, null, { content: demoSealPng(), name: 'con-dau-mau.png', contentType: 'image/png' }, ctx);
  for (const a of agencies) {
    if (a.has_clerk) await issueDemoCredential(db, rt, null, { owner: 'unit', unitId: a.id }, { pin: DEMO_SIGNING_PIN }, ctx, ca);
    // Seals of provincial agencies are larger than those of communes (36 vs 34 mm in practice).
    await setSealImage(db, store, null, a.id, { fileId: seal.id, diameterMm: a.level === 'commune' ? 34 : 36 }, ctx);
  }
  return true;
}
