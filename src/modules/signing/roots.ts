import { desc, eq } from 'drizzle-orm';
import { isSystemAdmin, type Principal } from '../../core/access/index.js';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { type Db, inTransaction } from '../../core/db/index.js';
import { AppError, forbidden, notFound } from '../../core/errors/index.js';
import { isUuid, newId } from '../../core/ids/index.js';
import { certificateInfo, fromBase64, readCertificates, toBase64 } from './certificates.js';
import { trustedRoots } from './schema.js';

/**
 * Trusted roots of the validator (e.g. the root CA of the Government Cipher Committee, the demo root).
 * Deployment-wide data kept by the system administrator; every official may read the list.
 */

export type TrustedRoot = {
  id: string;
  name: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  fingerprint: string;
  notBefore: string;
  notAfter: string;
  demo: boolean;
  note: string | null;
  createdAt: string;
};

type Row = typeof trustedRoots.$inferSelect;
const present = (r: Row): TrustedRoot => ({
  id: r.id,
  name: r.name,
  subject: r.subject,
  issuer: r.issuer,
  serialNumber: r.serialNumber,
  fingerprint: r.fingerprint,
  notBefore: r.notBefore.toISOString(),
  notAfter: r.notAfter.toISOString(),
  demo: r.demo,
  note: r.note,
  createdAt: r.createdAt.toISOString(),
});

/** DER of every trusted root, for verifyPdfSignatures. */
export async function loadTrustedRoots(db: Db): Promise<Uint8Array[]> {
  const rows = await db.select({ certificate: trustedRoots.certificate }).from(trustedRoots);
  return rows.map((r) => fromBase64(r.certificate));
}

export async function listTrustedRoots(db: Db): Promise<TrustedRoot[]> {
  return (await db.select().from(trustedRoots).orderBy(desc(trustedRoots.createdAt)).limit(500)).map(present);
}

export async function getTrustedRootDer(db: Db, id: string): Promise<{ name: string; der: Uint8Array }> {
  const [r] = isUuid(id) ? await db.select().from(trustedRoots).where(eq(trustedRoots.id, id)).limit(1) : [];
  if (!r) throw notFound('Chứng thư gốc');
  return { name: r.name, der: fromBase64(r.certificate) };
}

const requireAdmin = (p: Principal | null) => {
  if (p && !isSystemAdmin(p)) throw forbidden('Chỉ quản trị hệ thống được quản lý danh sách chứng thư gốc tin cậy.');
};

/**
 * Adds the CA certificates of a PEM bundle or one DER file. Only CA certificates (self-signed roots or
 * intermediate CAs used as trust anchors); a certificate already trusted is skipped. `p` null = the system (demo seed, CLI).
 */
export async function addTrustedRoots(
  db: Db,
  p: Principal | null,
  input: { content: Uint8Array; name?: string | null; note?: string | null; demo?: boolean },
  ctx: ActorContext,
): Promise<{ added: TrustedRoot[]; skipped: number }> {
  requireAdmin(p);
  const certs = readCertificates(input.content);
  const infos = certs.map((der) => ({ der, info: certificateInfo(der) }));
  const notCa = infos.findIndex((c) => !c.info.isCa && !c.info.selfSigned);
  if (notCa >= 0) {
    throw new AppError(422, 'not-a-ca', 'Không phải chứng thư của tổ chức chứng thực', `Chứng thư "${infos[notCa].info.subject}" là chứng thư của người ký, không thể dùng làm chứng thư gốc tin cậy.`, [
      { field: 'file', message: 'Chỉ nhận chứng thư CA (gốc hoặc trung gian)' },
    ]);
  }
  return inTransaction(db, async (tx) => {
    const added: TrustedRoot[] = [];
    let skipped = 0;
    for (const { der, info } of infos) {
      const [exists] = await tx.select({ id: trustedRoots.id }).from(trustedRoots).where(eq(trustedRoots.fingerprint, info.fingerprint)).limit(1);
      if (exists) {
        skipped++;
        continue;
      }
      const name = (infos.length === 1 ? input.name?.normalize('NFC').trim() : null) || info.commonName || info.subject;
      const [row] = await tx
        .insert(trustedRoots)
        .values({
          id: newId(),
          name: name.slice(0, 300),
          certificate: toBase64(der),
          subject: info.subject,
          issuer: info.issuer,
          serialNumber: info.serialNumber,
          fingerprint: info.fingerprint,
          notBefore: info.notBefore,
          notAfter: info.notAfter,
          demo: input.demo ?? false,
          note: input.note?.normalize('NFC').trim() || null,
          createdBy: p?.userId ?? null,
          createdAt: ctx.now,
        })
        .returning();
      await writeAudit(tx, ctx, { action: 'signing.root_add', objectType: 'trusted_root', objectId: row.id, unitId: null, summary: { name: row.name, subject: row.subject, fingerprint: row.fingerprint } });
      added.push(present(row));
    }
    return { added, skipped };
  });
}

export async function removeTrustedRoot(db: Db, p: Principal, id: string, ctx: ActorContext): Promise<void> {
  requireAdmin(p);
  await inTransaction(db, async (tx) => {
    const [r] = isUuid(id) ? await tx.delete(trustedRoots).where(eq(trustedRoots.id, id)).returning() : [];
    if (!r) throw notFound('Chứng thư gốc');
    await writeAudit(tx, ctx, { action: 'signing.root_remove', objectType: 'trusted_root', objectId: r.id, unitId: null, summary: { name: r.name, subject: r.subject, fingerprint: r.fingerprint } });
  });
}
