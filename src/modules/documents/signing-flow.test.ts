import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { samplePdf } from '../../core/signing/testing/pdfs.js';
import { hasTool, pdfsig, tempDir } from '../../core/signing/testing/tools.js';
import { DEMO_SIGNING_PIN, MAX_PIN_FAILURES } from '../signing/index.js';
import { PLACEHOLDER, type SigningKit, signingKit } from '../signing/testing/testkit.js';

/**
 * The digital outgoing flow through HTTP (Decree 30 art. 13–16): the designated leader signs the approved
 * draft ("Ký số", own key, PIN), the clerk of the issuing unit numbers, seals and issues it ("Đóng dấu và
 * phát hành"), the recipient commune receives the sealed PDF and its signatures are checked on arrival.
 * Every rule is refused in the service with a Vietnamese problem; paper signing keeps working.
 */

let k: SigningKit;
const CI = process.env.CI === 'true';

beforeAll(async () => {
  k = await signingKit();
});
afterAll(() => k.t.close());

const detail = async (who: string, id: string) => (await k.call(who, 'GET', `/api/documents/${id}`)).json();
const sign = (who: string, id: string, body: Record<string, unknown>) => k.call(who, 'POST', `/api/documents/${id}/sign`, { placement: { placeholder: PLACEHOLDER }, pin: DEMO_SIGNING_PIN, ...body });

describe('the leader signs ("Ký số")', () => {
  let id: string;
  let cred: string;
  beforeAll(async () => {
    id = await k.approvedDraft('chuyenvien.xa', 'lanhdao.xa', { recipients: [{ kind: 'unit', unitId: await k.t.unitId('000.02.31.H99') }] });
    cred = await k.credentialOf('lanhdao.xa');
  });

  it('offers "sign" to the designated signer and the signed-upload to the clerk, with the dialog data', async () => {
    expect((await detail('lanhdao.xa', id)).allowedActions).toEqual(expect.arrayContaining(['sign', 'upload_signed_pdf', 'upload_signed']));
    const clerk = (await detail('vanthu.xa', id)).allowedActions;
    expect(clerk).toContain('upload_signed_pdf');
    expect(clerk).not.toContain('sign');
    expect(clerk).not.toContain('seal_issue');
    const opts = (await k.call('lanhdao.xa', 'GET', `/api/documents/${id}/signing-options`)).json();
    expect(opts).toMatchObject({ pageCount: 1, hasSignatureImage: true, hasSealImage: true, defaultPlaceholder: PLACEHOLDER, sealCredentials: [] });
    expect(opts.credentials.map((c: { id: string }) => c.id)).toEqual([cred]);
    expect(opts.sourceFileId).toBeTruthy();
  });

  it('refuses anyone but the designated signer, and a credential that is not theirs', async () => {
    const other = await sign('chuyenvien.xa', id, { credentialId: cred });
    expect(other.statusCode).toBe(403);
    expect(other.json().type).toContain('not-the-signer');
    const foreign = (await k.call('admin', 'GET', `/api/signing/credentials?userId=${await k.t.userId('lanhdao.tinh')}`)).json().items[0].id;
    const res = await sign('lanhdao.xa', id, { credentialId: foreign });
    expect(res.statusCode).toBe(403);
    expect(res.json().type).toContain('not-your-credential');
    const seal = await k.unitCredentialOf('000.01.31.H99');
    expect((await sign('lanhdao.xa', id, { credentialId: seal })).statusCode).toBe(403);
    // Another commune does not even see the document, its signatures or its signing dialog.
    for (const url of [`/api/documents/${id}/signatures`, `/api/documents/${id}/signing-options`]) expect((await k.call('vanthu.xa2', 'GET', url)).statusCode).toBe(404);
    expect((await sign('vanthu.xa2', id, { credentialId: cred })).statusCode).toBe(404);
  });

  it('counts wrong PINs, locks the credential after the limit, and an administrator unlocks it', async () => {
    for (let i = 1; i < MAX_PIN_FAILURES; i++) {
      const res = await sign('lanhdao.xa', id, { credentialId: cred, pin: '000000' });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ title: 'Mã PIN không đúng' });
      expect(res.json().detail).toContain(`Còn ${MAX_PIN_FAILURES - i} lần thử`);
    }
    const locked = await sign('lanhdao.xa', id, { credentialId: cred, pin: '000000' });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().title).toBe('Chứng thư số đang bị tạm khoá');
    // Even the right PIN waits for the lock to end.
    expect((await sign('lanhdao.xa', id, { credentialId: cred })).statusCode).toBe(423);
    expect((await k.call('admin', 'POST', `/api/signing/credentials/${cred}/status`, { action: 'unlock' })).statusCode).toBe(200);
    const audit = await queryRows<{ n: number }>(k.t.app.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'signing.pin_failed' AND object_id = ${cred}`);
    expect(audit[0].n).toBe(MAX_PIN_FAILURES);
  });

  it('signs with the PIN: a certification signature, verified, as the next signed version, with a timeline step', async () => {
    const res = await sign('lanhdao.xa', id, { credentialId: cred });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.signing.report.valid).toBe(true);
    expect(body.signing.report.signatures).toHaveLength(1);
    expect(body.signing.report.signatures[0]).toMatchObject({ integrity: 'valid', chain: 'trusted', signerName: 'Đặng Văn Bình', certification: { permissions: 2 }, coversWholeDocument: true });
    expect(body.files.filter((f: { role: string }) => f.role === 'signed')).toHaveLength(1);
    expect(body.timeline.at(-1)).toMatchObject({ action: 'signed_uploaded', actorName: 'Đặng Văn Bình', detail: { method: 'digital', version: 1 } });
    expect(body.allowedActions).not.toContain('sign');
    const again = await sign('lanhdao.xa', id, { credentialId: cred });
    expect(again.statusCode).toBe(409);
  });

  it('makes the clerk seal it: the paper issuance is refused, "seal_issue" is offered', async () => {
    const plain = await k.call('vanthu.xa', 'POST', `/api/documents/${id}/issue`);
    expect(plain.statusCode).toBe(409);
    expect(plain.json().type).toContain('seal-required');
    const actions = (await detail('vanthu.xa', id)).allowedActions;
    expect(actions).toContain('seal_issue');
    expect(actions).not.toContain('issue');
    const opts = (await k.call('vanthu.xa', 'GET', `/api/documents/${id}/signing-options`)).json();
    expect(opts.sealCredentials.map((c: { unitName: string }) => c.unitName)).toEqual(['Ủy ban nhân dân xã Tân An']);
  });

  it('refuses the seal to non-clerks and to another agency’s seal', async () => {
    const own = await k.unitCredentialOf('000.01.31.H99');
    expect((await k.call('lanhdao.xa', 'POST', `/api/documents/${id}/seal-issue`, { credentialId: own, pin: DEMO_SIGNING_PIN })).statusCode).toBe(403);
    const other = await k.unitCredentialOf('000.02.31.H99');
    const res = await k.call('vanthu.xa', 'POST', `/api/documents/${id}/seal-issue`, { credentialId: other, pin: DEMO_SIGNING_PIN });
    expect(res.statusCode).toBe(403);
    expect(res.json().type).toContain('not-the-agency-seal');
    expect((await detail('vanthu.xa', id)).status).toBe('approved');
  });

  it('numbers, seals and issues in one step; the recipient gets the sealed PDF and both signatures hold', async () => {
    const own = await k.unitCredentialOf('000.01.31.H99');
    const res = await k.call('vanthu.xa', 'POST', `/api/documents/${id}/seal-issue`, { credentialId: own, pin: DEMO_SIGNING_PIN });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.status).toBe('issued');
    expect(d.numberSymbol).toMatch(/^\d{2}\/QĐ-UBND$/);
    const main = d.files.find((f: { role: string }) => f.role === 'main');
    expect(main.fileId).toBe(d.issued.fileId);
    const sigs = (await k.call('vanthu.xa', 'GET', `/api/documents/${id}/signatures`)).json();
    const issued = sigs.files.find((f: { fileId: string }) => f.fileId === main.fileId);
    expect(issued.report.valid).toBe(true);
    expect(issued.report.signatures.map((s: { signerName: string }) => s.signerName)).toEqual(['Đặng Văn Bình', 'Ủy ban nhân dân xã Tân An']);
    expect(issued.records.map((r: { action: string }) => r.action)).toEqual(['sealed']);
    const leader = sigs.files.find((f: { role: string }) => f.role === 'signed');
    expect(leader.records[0]).toMatchObject({ action: 'signed', method: 'local', actorName: 'Đặng Văn Bình', valid: true });

    // The same PDF arrives in Phú Lộc's queue; accepting it checks the signatures and records the verdict.
    const queue = (await k.call('vanthu.xa2', 'GET', '/api/deliveries')).json();
    const delivery = queue.items.find((x: { documentId: string }) => x.documentId === id);
    const files = (await k.call('vanthu.xa2', 'GET', `/api/deliveries/${delivery.id}`)).json().files;
    expect(files.map((f: { fileId: string }) => f.fileId)).toContain(main.fileId);
    const accepted = await k.call('vanthu.xa2', 'POST', `/api/deliveries/${delivery.id}/accept`, {});
    expect(accepted.statusCode, accepted.body).toBe(200);
    const incoming = (await k.call('vanthu.xa2', 'GET', `/api/documents/${accepted.json().incomingDocumentId}/signatures`)).json();
    const received = incoming.files.find((f: { fileId: string }) => f.fileId === main.fileId);
    expect(received.report.valid).toBe(true);
    expect(received.records).toEqual([expect.objectContaining({ action: 'verified', valid: true, signatureCount: 2, actorName: 'Bùi Thị Mai' })]);

    if (!hasTool('pdfsig')) {
      if (CI) throw new Error('pdfsig is required in CI (apt-get install poppler-utils)');
      return;
    }
    const dir = tempDir();
    try {
      const [row] = await queryRows<{ sha256: string }>(k.t.app.db, sql`SELECT sha256 FROM files WHERE id = ${main.fileId}`);
      const file = dir.file('issued.pdf', await k.t.app.fileStore.read(row.sha256));
      const out = pdfsig(file);
      expect(out.signatures).toHaveLength(2);
      expect(out.signatures.every((s) => s.valid), out.output).toBe(true);
    } finally {
      dir.cleanup();
    }
  });

  it('never lets a signed version be replaced in the database', async () => {
    const [row] = await queryRows<{ id: string }>(k.t.app.db, sql`SELECT df.id FROM document_files df WHERE df.document_id = ${id} AND df.role = 'signed'`);
    const [other] = await queryRows<{ id: string }>(k.t.app.db, sql`SELECT id FROM files LIMIT 1`);
    await expect(k.t.app.db.execute(sql`UPDATE document_files SET file_id = ${other.id} WHERE id = ${row.id}`)).rejects.toThrow();
    await expect(k.t.app.db.execute(sql`DELETE FROM document_files WHERE id = ${row.id}`)).rejects.toThrow();
  });
});

describe('paper signing is unchanged', () => {
  it('issues a scanned paper original without any seal step', async () => {
    const id = await k.approvedDraft('chuyenvien.xa', 'lanhdao.xa');
    const scan = await k.upload('vanthu.xa', await samplePdf(), 'ban-giay-quet.pdf');
    expect((await k.call('vanthu.xa', 'POST', `/api/documents/${id}/signed-file`, { fileId: scan.id })).statusCode).toBe(200);
    const actions = (await detail('vanthu.xa', id)).allowedActions;
    expect(actions).toContain('issue');
    expect(actions).not.toContain('seal_issue');
    const res = await k.call('vanthu.xa', 'POST', `/api/documents/${id}/issue`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('issued');
    const seal = await k.call('vanthu.xa', 'POST', `/api/documents/${id}/seal-issue`, { credentialId: await k.unitCredentialOf('000.01.31.H99'), pin: DEMO_SIGNING_PIN });
    expect(seal.statusCode).toBe(409);
  });

  it('refuses the seal on a document nobody signed digitally', async () => {
    const id = await k.approvedDraft('chuyenvien.xa', 'lanhdao.xa');
    const res = await k.call('vanthu.xa', 'POST', `/api/documents/${id}/seal-issue`, { credentialId: await k.unitCredentialOf('000.01.31.H99'), pin: DEMO_SIGNING_PIN });
    expect(res.statusCode).toBe(422);
    expect(res.json().title).toBe('Văn bản chưa được ký số');
  });
});
