import { asc, sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { AppError } from '../../core/errors/index.js';
import { newId } from '../../core/ids/index.js';
import { type CertificateAuthority, type CertificateRequest, caFromPkcs12, createCrl, createRootCa, issueCertificate } from '../../core/signing/index.js';
import { certificateInfo, fromBase64, toBase64 } from './certificates.js';
import { type CredentialRow, insertCredential, type Owner, resolveOwner } from './credentials.js';
import { decrypt, encrypt } from './keys.js';
import { addTrustedRoots } from './roots.js';
import { requireKey, type SigningRuntime } from './runtime.js';
import { signingAuthorities } from './schema.js';

/**
 * The demo certificate authority of a deployment (`lienthong ca init`): its root is trusted, and it issues
 * officials' and units' certificates with Vietnamese subject fields. The CA key is stored like local
 * credentials (PKCS#12 under SIGNING_KEY). For demos, training and tests — production uses a real CA.
 */

const CA_PIN = 'lienthong-demo-ca'; // the PKCS#12 is encrypted with SIGNING_KEY; this PIN adds nothing and is not a secret
export const DEMO_CA_NAME = 'LienThong Demo Root CA';

type AuthorityRow = typeof signingAuthorities.$inferSelect;

async function currentAuthority(db: Db): Promise<AuthorityRow | undefined> {
  const [a] = await db.select().from(signingAuthorities).orderBy(asc(signingAuthorities.createdAt)).limit(1);
  return a;
}

export async function demoCaCertificate(db: Db): Promise<Uint8Array | null> {
  const a = await currentAuthority(db);
  return a ? fromBase64(a.certificate) : null;
}

/** Creates the demo CA (once) and trusts its root; returns its certificate and whether it was created now. */
export async function initDemoCa(db: Db, rt: SigningRuntime, ctx: ActorContext, input: { commonName?: string; organization?: string } = {}): Promise<{ certificate: Uint8Array; created: boolean }> {
  const existing = await currentAuthority(db);
  if (existing) return { certificate: fromBase64(existing.certificate), created: false };
  const key = requireKey(rt);
  const root = await createRootCa({ commonName: input.commonName ?? DEMO_CA_NAME, organization: input.organization ?? 'LienThong — dữ liệu mẫu (không dùng thật)', validYears: 20 });
  const id = newId();
  await inTransaction(db, async (tx) => {
    await tx.insert(signingAuthorities).values({
      id,
      name: certificateInfo(root.certificate).commonName ?? DEMO_CA_NAME,
      certificate: toBase64(root.certificate),
      privateKeyEncrypted: encrypt(key, await root.pkcs12(CA_PIN)),
      keyAlgorithm: { format: 'pkcs12' },
      keyId: key.id,
      createdAt: ctx.now,
    });
    await writeAudit(tx, ctx, { action: 'signing.ca_init', objectType: 'signing_authority', objectId: id, unitId: null, summary: { subject: certificateInfo(root.certificate).subject } });
  });
  await addTrustedRoots(db, null, { content: root.certificate, demo: true, note: 'Gốc của CA mẫu (lienthong ca init) — chỉ dùng cho dữ liệu mẫu và đào tạo' }, ctx);
  return { certificate: root.certificate, created: true };
}

/** The demo CA with its key, unlocked (for several issues in a row, e.g. the demo seed). */
export async function openDemoCa(db: Db, rt: SigningRuntime): Promise<CertificateAuthority> {
  return (await openCa(db, rt)).ca;
}

async function openCa(db: Db, rt: SigningRuntime): Promise<{ ca: CertificateAuthority; row: AuthorityRow }> {
  const row = await currentAuthority(db);
  if (!row) throw new AppError(409, 'no-demo-ca', 'Chưa có CA mẫu', 'Chạy "lienthong ca init" (hoặc nạp dữ liệu mẫu) để tạo tổ chức chứng thực mẫu trước khi cấp chứng thư.');
  const pkcs12 = decrypt(requireKey(rt), row.privateKeyEncrypted, row.keyId);
  return { ca: await caFromPkcs12(pkcs12, CA_PIN), row };
}

type OwnerFacts = { commonName: string; organization: string; organizationalUnit?: string; title?: string; province?: string; email?: string };

/** Subject fields from the directory: an official's name, title, unit and agency; a unit's name; the province. */
async function ownerFacts(db: Db, o: Owner): Promise<OwnerFacts> {
  const unitId = o.owner === 'unit' ? o.unitId : sql`(SELECT unit_id FROM officials WHERE user_id = ${o.userId})`;
  const [u] = await queryRows<{ name: string; path: string; agency: string | null; province: string | null }>(
    db,
    sql`SELECT u.name, u.path,
          (SELECT a.name FROM units a WHERE u.path LIKE a.path || '%' AND a.kind IN ('people_committee', 'department') ORDER BY a.depth DESC LIMIT 1) AS agency,
          (SELECT r.name FROM units r WHERE u.path LIKE r.path || '%' AND r.depth = 0 LIMIT 1) AS province
        FROM units u WHERE u.id = ${unitId}`,
  );
  const stripped = u?.province?.replace(/^Ủy ban nhân dân\s+/i, '');
  const province = stripped ? stripped.charAt(0).toLocaleUpperCase('vi') + stripped.slice(1) : undefined;
  if (o.owner === 'unit') return { commonName: u.name, organization: u.name, province };
  const [off] = await queryRows<{ full_name: string; email: string | null; position_title: string | null }>(
    db,
    sql`SELECT us.full_name, us.email, o.position_title FROM users us JOIN officials o ON o.user_id = us.id WHERE us.id = ${o.userId}`,
  );
  const agency = u.agency ?? u.name;
  return {
    commonName: off.full_name,
    organization: agency,
    organizationalUnit: u.name !== agency ? u.name : undefined,
    title: off.position_title ?? undefined,
    province,
    email: off.email ?? undefined,
  };
}

/** Issues a certificate from the demo CA and stores it as the owner's local credential, locked by `pin`. */
export async function issueDemoCredential(
  db: Db,
  rt: SigningRuntime,
  p: Principal | null,
  o: Owner,
  input: { pin: string; label?: string | null; validYears?: number },
  ctx: ActorContext,
  opened?: CertificateAuthority,
): Promise<CredentialRow> {
  const owner = await resolveOwner(db, p, o, { managerOnly: true });
  const key = requireKey(rt);
  const ca = opened ?? (await openCa(db, rt)).ca;
  const facts = await ownerFacts(db, o);
  const request: CertificateRequest = { kind: o.owner, ...facts, validYears: input.validYears ?? 3 };
  const issued = await issueCertificate(ca, request);
  const pkcs12 = await issued.pkcs12(input.pin);
  return inTransaction(db, (tx) =>
    insertCredential(
      tx,
      { ...owner, owner: o.owner },
      { kind: 'local', label: input.label ?? `${facts.commonName} (CA mẫu)`, certificates: [issued.certificate, ca.certificate], pkcs12Encrypted: encrypt(key, pkcs12), keyId: key.id, source: 'demo_ca' },
      ctx,
    ),
  );
}

/** A CRL of the demo CA listing the revoked demo credentials (for the DSS / B-LT). */
export async function demoCrl(db: Db, rt: SigningRuntime, now: Date): Promise<Uint8Array | null> {
  const row = await currentAuthority(db);
  if (!row || !rt.key) return null;
  const { ca } = await openCa(db, rt);
  const issuer = certificateInfo(ca.certificate).subject;
  const ours = await queryRows<{ serial_number: string }>(db, sql`SELECT serial_number FROM signing_credentials WHERE status = 'revoked' AND issuer = ${issuer}`);
  return createCrl(ca, ours.map((r) => r.serial_number), { thisUpdate: now });
}
