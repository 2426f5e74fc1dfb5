import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../core/db/index.js';
import { addValidationData } from '../../core/signing/index.js';
import { demoCrl } from './authority.js';
import { fromBase64 } from './certificates.js';
import { loadTrustedRoots } from './roots.js';
import type { SigningRuntime } from './runtime.js';

/**
 * What sealing needs besides the engine, shared by the flows that apply an agency's seal (outgoing documents,
 * one-stop dossier results): the agency a unit seals for, and the validation data (PAdES B-LT) of a sealed PDF.
 */

export type AgencyUnit = { id: string; parent_id: string | null; path: string; kind: string; name: string; short_name: string; agency_code: string | null; active: boolean };

/**
 * The agency in whose name a unit issues documents and seals results (cơ quan ban hành): the unit itself when it is a
 * people's committee or a department, else its nearest such ancestor (the province's Office issues as UBND).
 */
export async function issuingAgency<U extends AgencyUnit>(db: Db, unit: U): Promise<AgencyUnit | U> {
  const ids = unit.path.split('/').filter(Boolean);
  const [a] = await queryRows<AgencyUnit>(
    db,
    sql`SELECT id, parent_id, path, kind, name, short_name, agency_code, active FROM units
         WHERE id = ANY(${`{${ids.join(',')}}`}::uuid[]) AND kind IN ('people_committee', 'department') ORDER BY depth DESC LIMIT 1`,
  );
  return a ?? unit;
}

/**
 * Validation data (PAdES B-LT) for a PDF just sealed: the chains of the given certificates (base64 DER: the seal's
 * and any other signer's registered ones), the trusted roots, the revocation list this deployment produces itself
 * (its demo CA's), and the CRLs that outside CAs publish at their certificates' distribution points (fetched, cached,
 * best effort: revocation.ts). OCSP answers are not fetched.
 */
export async function withValidationData(tx: Db, rt: SigningRuntime, pdf: Uint8Array, certificates: string[], now: Date): Promise<Uint8Array> {
  const own = await demoCrl(tx, rt, now).catch(() => null);
  const certs = certificates.map(fromBase64);
  const outside = rt.revocation ? await rt.revocation.crlsFor(certs) : [];
  return addValidationData(pdf, { certificates: [...certs, ...(await loadTrustedRoots(tx))], crls: [...(own ? [own] : []), ...outside] });
}
