import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Clock } from '../../../core/clock/index.js';
import type { Config } from '../../../config.js';
import { samplePdf } from '../../../core/signing/testing/pdfs.js';
import { bearer, createTestApp, type TestContext } from '../../../test/harness.js';
import { seedDemoSigning } from '../demo.js';

/**
 * Test kit of the signing module and the digital document flow: an app with a SIGNING_KEY and the demo
 * signing data (demo CA trusted, demo leaders' and agencies' credentials with DEMO_SIGNING_PIN, images),
 * signed-in demo users, uploads, and an approved outgoing draft ready to be signed.
 */

export const PLACEHOLDER = '[CHU_KY]';
export const testSigningKey = () => randomBytes(32).toString('base64');

export type SigningKit = {
  t: TestContext;
  tok: Record<string, string>;
  call(who: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  upload(who: string, content: Uint8Array, filename: string): Promise<{ id: string; sha256: string }>;
  multipart(who: string | null, url: string, fields: Record<string, string>, file?: { content: Uint8Array; filename: string }): Promise<LightMyRequestResponse>;
  /** An outgoing draft of `drafter`, signer `signer`, submitted and approved; its PDF carries PLACEHOLDER. */
  approvedDraft(drafter: string, signer: string, body?: Record<string, unknown>): Promise<string>;
  credentialOf(username: string): Promise<string>;
  unitCredentialOf(agencyCode: string): Promise<string>;
};

export const DEMO_USERS = ['admin', 'chuyenvien.xa', 'lanhdao.xa', 'vanthu.xa', 'vanthu.xa2', 'chuyenvien.tinh', 'lanhdao.tinh', 'vanthu.tinh', 'motcua.xa'];

export async function signingKit(opts: { clock?: Clock; config?: Partial<Config>; demo?: boolean } = {}): Promise<SigningKit> {
  const t = await createTestApp({ clock: opts.clock, config: { signingKey: testSigningKey(), ...opts.config } });
  if (opts.demo !== false) await seedDemoSigning(t.app.db, t.app.signing, t.app.fileStore, new Date());
  const tok: Record<string, string> = {};
  const usernames = new Map<string, string>();
  for (const u of DEMO_USERS) {
    tok[u] = await t.login(u);
    usernames.set(await t.userId(u), u);
  }
  const call: SigningKit['call'] = (who, method, url, payload) =>
    t.app.inject({ method, url, headers: bearer(tok[who]), ...(payload === undefined ? {} : { payload: payload as object }) });
  const multipart: SigningKit['multipart'] = (who, url, fields, file) => {
    const boundary = `----lt${Math.random().toString(16).slice(2)}`;
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    if (file) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
      parts.push(Buffer.from(file.content), Buffer.from('\r\n'));
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return t.app.inject({ method: 'POST', url, headers: { ...(who ? bearer(tok[who]) : {}), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: Buffer.concat(parts) });
  };
  const upload: SigningKit['upload'] = async (who, content, filename) => {
    const res = await multipart(who, '/api/files', {}, { content, filename });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const approvedDraft: SigningKit['approvedDraft'] = async (drafter, signer, body = {}) => {
    const secret = body.secrecy && body.secrecy !== 'none';
    const fileId = secret ? undefined : (await upload(drafter, await samplePdf({ placeholder: PLACEHOLDER }), 'du-thao.pdf')).id;
    const created = await call(drafter, 'POST', '/api/documents/outgoing', { typeCode: 'QD', subject: 'Quyết định phê duyệt kế hoạch chuyển đổi số', signerUserId: await t.userId(signer), fileId, ...body });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const submitted = await call(drafter, 'POST', `/api/documents/${id}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    // Initials by the unit head when the chain asks for them, then the signer's approval.
    for (let i = 0; i < 3; i++) {
      const d = (await call(signer, 'GET', `/api/documents/${id}`)).json();
      if (d.status === 'approved') break;
      const pending = d.reviews.find((r: { status: string }) => r.status === 'pending');
      const ok = await call(usernames.get(pending.reviewerUserId)!, 'POST', `/api/documents/${id}/approve`, {});
      expect(ok.statusCode, ok.body).toBe(200);
    }
    return id;
  };
  const credentialOf = async (username: string) => {
    const res = await call(username, 'GET', '/api/signing/credentials?mine=true');
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items[0].id as string;
  };
  const unitCredentialOf = async (agencyCode: string) => {
    const res = await call('admin', 'GET', `/api/signing/credentials?owner=unit&unitId=${await t.unitId(agencyCode)}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items[0].id as string;
  };
  return { t, tok, call, upload, multipart, approvedDraft, credentialOf, unitCredentialOf };
}
