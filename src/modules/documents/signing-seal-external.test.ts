import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { assembleCms, buildSignedAttributes, createRootCa, type IssuedCertificate, issueCertificate, keySigner, type RootCa, toPem } from '../../core/signing/index.js';
import { DEMO_SIGNING_PIN } from '../signing/index.js';
import { PLACEHOLDER, type SigningKit, signingKit } from '../signing/testing/testkit.js';

/**
 * "Đóng dấu và phát hành" with the agency's USB token through the external signing tool: step 1 writes the
 * number and date the issuance would take now into the PDF (nothing reserved), step 2 embeds the tool's CMS
 * and issues — only with the prepared number and date, and only with the issuing agency's seal.
 */

let k: SigningKit;
let ca: RootCa;
let seal: IssuedCertificate;
let token: string;
/** Real time, shifted when a test needs another moment (midnight in Asia/Ho_Chi_Minh). */
let shift = 0;
const clock = { now: () => new Date(Date.now() + shift) };
const XA = '000.01.31.H99';

beforeAll(async () => {
  k = await signingKit({ clock });
  ca = await createRootCa({ commonName: 'CA Chính phủ (thử)', organization: 'Ban Cơ yếu Chính phủ (thử)' });
  seal = await issueCertificate(ca, { kind: 'unit', commonName: 'Ủy ban nhân dân xã Tân An', organization: 'Ủy ban nhân dân xã Tân An' });
  expect((await k.multipart('admin', '/api/signing/trusted-roots', {}, { content: ca.certificate, filename: 'root.cer' })).statusCode).toBe(201);
  const res = await k.multipart('admin', '/api/signing/credentials/certificate', { owner: 'unit', unitId: await k.t.unitId(XA) }, { content: Buffer.from(toPem(seal.certificate) + toPem(ca.certificate)), filename: 'con-dau.pem' });
  expect(res.statusCode, res.body).toBe(201);
  token = res.json().id;
});
afterAll(() => k.t.close());

/** An approved draft signed by the commune leader with his own key: ready for the clerk's seal. */
async function signedDraft(): Promise<string> {
  const id = await k.approvedDraft('chuyenvien.xa', 'lanhdao.xa', { recipients: [{ kind: 'unit', unitId: await k.t.unitId('000.02.31.H99') }] });
  const res = await k.call('lanhdao.xa', 'POST', `/api/documents/${id}/sign`, { credentialId: await k.credentialOf('lanhdao.xa'), pin: DEMO_SIGNING_PIN, placement: { placeholder: PLACEHOLDER } });
  expect(res.statusCode, res.body).toBe(200);
  return id;
}

/** The signing tool on the clerk's PC: CAdES signed attributes over the digest, signed with the token's key. */
async function tool(cert: IssuedCertificate, digestBase64: string): Promise<string> {
  const attrs = buildSignedAttributes(Buffer.from(digestBase64, 'base64'), cert.certificate);
  const { signature, algorithm } = await keySigner({ privateKey: cert.privateKey, certificates: [cert.certificate] }).signDigest(createHash('sha256').update(attrs).digest());
  return Buffer.from(await assembleCms({ signedAttributes: attrs, signature, algorithm, certificates: [cert.certificate, ca.certificate] })).toString('base64');
}

const prepare = (who: string, id: string, body: Record<string, unknown> = { credentialId: token }) => k.call(who, 'POST', `/api/documents/${id}/seal-issue/external`, body);
const finalise = (who: string, id: string, pendingId: string, cms: string) => k.call(who, 'POST', `/api/documents/${id}/seal-issue/external/${pendingId}`, { cms });
const symbolOf = (i: { codeNumber: number; codeNotation: string }) => `${String(i.codeNumber).padStart(2, '0')}/${i.codeNotation}`;
/** The commune's server-side seal (key on the server, PIN), not the USB token registered above. */
const serverSeal = async () =>
  (await k.call('admin', 'GET', `/api/signing/credentials?owner=unit&unitId=${await k.t.unitId(XA)}`)).json().items.find((c: { kind: string }) => c.kind !== 'token').id as string;
const detail = async (id: string) => (await k.call('vanthu.xa', 'GET', `/api/documents/${id}`)).json();

describe('sealing with a USB token', () => {
  it('prepares with the next number and today’s date, then issues with exactly them; both signatures hold', async () => {
    const id = await signedDraft();
    const prep = await prepare('vanthu.xa', id);
    expect(prep.statusCode, prep.body).toBe(200);
    const { pendingId, digest, pdfUrl, numberSymbol, issuedDate } = prep.json();
    expect(numberSymbol).toMatch(/^\d+\/QĐ-UBND$/);
    expect(issuedDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await detail(id)).status).toBe('approved');
    const pdf = await k.call('vanthu.xa', 'GET', pdfUrl);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.toString('latin1')).toContain('/Contents <000000');

    const ok = await finalise('vanthu.xa', id, pendingId, await tool(seal, digest.base64));
    expect(ok.statusCode, ok.body).toBe(200);
    const d = ok.json();
    expect(d.status).toBe('issued');
    expect(symbolOf(d.issued)).toBe(numberSymbol);
    expect(d.issuedDate).toBe(issuedDate);
    expect(d.timeline.map((t: { action: string }) => t.action)).toEqual(expect.arrayContaining(['signed_uploaded', 'issued', 'sent']));
    const sigs = (await k.call('vanthu.xa', 'GET', `/api/documents/${id}/signatures`)).json();
    const issued = sigs.files.find((f: { fileId: string }) => f.fileId === d.issued.fileId);
    expect(issued.report.valid).toBe(true);
    expect(issued.report.signatures.map((s: { signerName: string }) => s.signerName)).toEqual(['Đặng Văn Bình', 'Ủy ban nhân dân xã Tân An']);
    expect(issued.records).toEqual([expect.objectContaining({ action: 'sealed', method: 'external', credentialId: token, valid: true })]);
    const audit = await queryRows<{ action: string }>(k.t.app.db, sql`SELECT action FROM audit_log WHERE object_id = ${id} ORDER BY seq`);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['signing.external_prepare']));
    // Finalised once: the same CMS again is refused.
    expect((await finalise('vanthu.xa', id, pendingId, await tool(seal, digest.base64))).statusCode).toBe(409);
  });

  it('refuses (409, nothing issued) when another document took the number meanwhile; prepared again it issues', async () => {
    const a = await signedDraft();
    const b = await signedDraft();
    const first = (await prepare('vanthu.xa', a)).json();
    const other = await k.call('vanthu.xa', 'POST', `/api/documents/${b}/seal-issue`, { credentialId: await serverSeal(), pin: DEMO_SIGNING_PIN });
    expect(other.statusCode, other.body).toBe(200);
    expect(symbolOf(other.json().issued)).toBe(first.numberSymbol);

    const late = await finalise('vanthu.xa', a, first.pendingId, await tool(seal, first.digest.base64));
    expect(late.statusCode, late.body).toBe(409);
    expect(late.json().type).toContain('seal-number-changed');
    expect(late.json().detail).toContain('chuẩn bị');
    expect((await detail(a)).status).toBe('approved');

    const again = (await prepare('vanthu.xa', a)).json();
    expect(again.numberSymbol).not.toBe(first.numberSymbol);
    const ok = await finalise('vanthu.xa', a, again.pendingId, await tool(seal, again.digest.base64));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(symbolOf(ok.json().issued)).toBe(again.numberSymbol);
    // No gap in the register: the numbers follow each other.
    expect(ok.json().issued.codeNumber).toBe(other.json().issued.codeNumber + 1);
  });

  it('is for the clerk of the issuing unit, with the issuing agency’s credential only', async () => {
    const id = await signedDraft();
    const leader = await prepare('lanhdao.xa', id);
    expect(leader.statusCode).toBe(403);
    expect(leader.json().type).toContain('not-the-clerk');
    const foreign = await prepare('vanthu.xa', id, { credentialId: await k.unitCredentialOf('000.00.00.H99') });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().type).toContain('not-the-agency-seal');
    const unsigned = await k.approvedDraft('chuyenvien.xa', 'lanhdao.xa');
    expect((await prepare('vanthu.xa', unsigned)).statusCode).toBe(422);
  });

  it('refuses another document’s, another user’s or an expired pending seal, and a CMS that is not the agency’s', async () => {
    const id = await signedDraft();
    const otherDoc = await signedDraft();
    const prep = (await prepare('vanthu.xa', id)).json();
    const cms = await tool(seal, prep.digest.base64);
    expect((await finalise('vanthu.xa', otherDoc, prep.pendingId, cms)).statusCode).toBe(400);
    expect((await finalise('lanhdao.xa', id, prep.pendingId, cms)).statusCode).toBe(403);
    expect((await finalise('vanthu.xa2', id, prep.pendingId, cms)).statusCode).toBe(404);

    // A person's certificate from a trusted CA, even the leader's name: not the agency's seal (422, nothing issued).
    const person = await issueCertificate(ca, { kind: 'official', commonName: 'Đặng Văn Bình', organization: 'Ủy ban nhân dân xã Tân An' });
    const open = (await prepare('vanthu.xa', id, {})).json();
    const wrong = await finalise('vanthu.xa', id, open.pendingId, await tool(person, open.digest.base64));
    expect(wrong.statusCode, wrong.body).toBe(422);
    expect(wrong.json().type).toContain('not-the-agency-seal');
    // An agency-named certificate that is not the registered token chosen at step 1.
    const lookalike = await issueCertificate(ca, { kind: 'unit', commonName: 'Ủy ban nhân dân xã Tân An', organization: 'Ủy ban nhân dân xã Tân An' });
    const chosen = (await prepare('vanthu.xa', id)).json();
    expect((await finalise('vanthu.xa', id, chosen.pendingId, await tool(lookalike, chosen.digest.base64))).statusCode).toBe(422);
    expect((await detail(id)).status).toBe('approved');

    // Expired: the pending signature lives 30 minutes.
    const stale = (await prepare('vanthu.xa', id)).json();
    await k.t.app.db.execute(sql`UPDATE pending_signatures SET expires_at = now() - interval '1 minute' WHERE id = ${stale.pendingId}`);
    const expired = await finalise('vanthu.xa', id, stale.pendingId, await tool(seal, stale.digest.base64));
    expect(expired.statusCode).toBe(410);

    // An agency-named token not registered here is accepted when no credential was chosen.
    const fresh = (await prepare('vanthu.xa', id, {})).json();
    const ok = await finalise('vanthu.xa', id, fresh.pendingId, await tool(lookalike, fresh.digest.base64));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('issued');
  });

  it('refuses when midnight passed between prepare and finalise (the date would differ); prepared again it issues', async () => {
    const id = await signedDraft();
    const now = Date.now();
    const localMidnight = Math.ceil((now + 7 * 3_600_000) / 86_400_000) * 86_400_000 - 7 * 3_600_000;
    const session = k.tok['vanthu.xa'];
    try {
      shift = localMidnight - 60_000 - now; // 23:59 local
      k.tok['vanthu.xa'] = await k.t.login('vanthu.xa'); // a session of that evening
      const first = await prepare('vanthu.xa', id);
      expect(first.statusCode, first.body).toBe(200);
      const prep = first.json();
      shift += 2 * 60_000; // 00:01 the next day
      const late = await finalise('vanthu.xa', id, prep.pendingId, await tool(seal, prep.digest.base64));
      expect(late.statusCode, late.body).toBe(409);
      expect(late.json().type).toContain('seal-number-changed');
      const again = (await prepare('vanthu.xa', id)).json();
      expect(again.issuedDate > prep.issuedDate).toBe(true);
      const ok = await finalise('vanthu.xa', id, again.pendingId, await tool(seal, again.digest.base64));
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().issuedDate).toBe(again.issuedDate);
    } finally {
      shift = 0;
      k.tok['vanthu.xa'] = session;
    }
  });
});
