import type { Response } from 'light-my-request';
import { PDFDocument } from 'pdf-lib';
import { expect } from 'vitest';
import { localDate } from './numbering.js';
import { bearer, type TestContext } from '../../test/harness.js';

/** Helpers of the incoming-document tests (registration, assignment, isolation). Not a test file itself. */

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

export function api(t: TestContext, token: string): Api {
  return {
    post: (url, body) => t.app.inject({ method: 'POST', url, headers: bearer(token), ...(body === undefined ? {} : { payload: body as object }) }),
    get: (url) => t.app.inject({ method: 'GET', url, headers: bearer(token) }),
    raw: (url, payload) => t.app.inject({ method: 'POST', url, headers: { ...bearer(token), 'content-type': 'application/json' }, payload }),
  };
}

/** Uploads through POST /api/files and returns the file id. */
export async function upload(t: TestContext, token: string, content: Buffer, name: string): Promise<string> {
  const boundary = '----lienthongtest' + Math.random().toString(16).slice(2);
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.app.inject({ method: 'POST', url: '/api/files', headers: { ...bearer(token), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
  expect(res.statusCode, res.body).toBe(201);
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
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** Expects a problem+json answer with the status, and (optionally) a failing field. */
export function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; body: string; json(): unknown }, status: number, field?: string): Record<string, unknown> {
  expect(res.statusCode, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const body = res.json() as { status: number; title: string; errors?: { field: string }[] };
  expect(body.status).toBe(status);
  expect(body.title).toBeTruthy();
  if (field) expect(body.errors?.map((e) => e.field), res.body).toContain(field);
  return body as Record<string, unknown>;
}
