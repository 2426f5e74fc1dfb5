import assert from 'node:assert/strict';
import type { InjectOptions, Response } from 'light-my-request';
import { PDFDocument } from 'pdf-lib';
import { localDate } from './numbering.js';

/**
 * Helpers of the incoming-document tests (registration, assignment, isolation). Not a test file itself, so
 * it depends on neither vitest nor the test harness (it is compiled with the server; nothing imports it there).
 */

type TestApp = { app: { inject(opts: InjectOptions): Promise<Response> } };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export const daysFrom = (base: Date, days: number) => localDate(new Date(base.getTime() + days * 86_400_000));

let seq = 100;
/** A valid registration body (a công văn from a free-text issuer), unique number unless overridden. */
export function incomingBody(now: Date, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    issuer: 'Sở Nội vụ tỉnh Thái Hòa',
    codeNumber: seq++,
    codeNotation: 'SNV-VP',
    issuedDate: daysFrom(now, -3),
    typeCode: 'CV',
    subject: 'Về việc rà soát, báo cáo số lượng cán bộ, công chức cấp xã năm 2026',
    urgency: 'normal',
    secrecy: 'none',
    fileIds: [],
    ...over,
  };
}

export type Api = {
  post(url: string, body?: unknown): Promise<Response>;
  get(url: string): Promise<Response>;
  raw(url: string, payload: string): Promise<Response>;
};

export function api(t: TestApp, token: string): Api {
  return {
    post: (url, body) => t.app.inject({ method: 'POST', url, headers: bearer(token), ...(body === undefined ? {} : { payload: body as object }) }),
    get: (url) => t.app.inject({ method: 'GET', url, headers: bearer(token) }),
    raw: (url, payload) => t.app.inject({ method: 'POST', url, headers: { ...bearer(token), 'content-type': 'application/json' }, payload }),
  };
}

/** Uploads through POST /api/files and returns the file id. */
export async function upload(t: TestApp, token: string, content: Buffer, name: string): Promise<string> {
  const boundary = '----lienthongtest' + Math.random().toString(16).slice(2);
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.app.inject({ method: 'POST', url: '/api/files', headers: { ...bearer(token), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as string;
}

/** A PDF with `pages` blank A4 pages. */
export async function samplePdf(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage([595, 842]);
  return Buffer.from(await doc.save());
}

/** Registers a document and returns its id (expects 201). */
export async function registerDoc(a: Api, now: Date, over: Record<string, unknown> = {}): Promise<{ id: string; arrivalNumber: number }> {
  const res = await a.post('/api/documents/incoming', incomingBody(now, over));
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}

/** Expects a problem+json answer with the status, and (optionally) a failing field. */
export function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; body: string; json(): unknown }, status: number, field?: string): Record<string, unknown> {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = res.json() as { status: number; title: string; errors?: { field: string }[] };
  assert.equal(body.status, status);
  assert.ok(body.title, 'a problem has a title');
  if (field) assert.ok(body.errors?.some((e) => e.field === field), `expected a field error on "${field}": ${res.body}`);
  return body as Record<string, unknown>;
}
