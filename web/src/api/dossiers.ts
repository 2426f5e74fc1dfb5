import type { paths } from './schema';
import { api, unwrap } from './client';

/** Hồ sơ một cửa (dossiers): types from the generated schema, one function per call, query keys. */
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Ok<P extends keyof paths, M extends keyof paths[P], C extends number = 200> = paths[P][M] extends { responses: infer R }
  ? R extends Record<C, infer S> ? JsonOf<S> : never
  : never;
type JsonBody<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type DossierDetail = Ok<'/api/dossiers/{id}', 'get'>;
export type DossierPageData = Ok<'/api/dossiers', 'get'>;
export type DossierItem = DossierPageData['items'][number];
export type DossierCounts = Ok<'/api/dossiers/counts', 'get'>;
export type HistoryEntry = DossierDetail['history'][number];
export type DossierAction = DossierDetail['allowedActions'][number];
export type DueState = DossierDetail['dueState'];
export type CreateDossierInput = JsonBody<'/api/dossiers', 'post'>;
export type ActionInput = JsonBody<'/api/dossiers/{id}/actions/{action}', 'post'>;
export type HandoverTargets = Ok<'/api/dossiers/{id}/targets', 'get'>;
export type SealOptions = Ok<'/api/dossiers/{id}/seal-options', 'get'>;
export type DossierResult = NonNullable<DossierDetail['result']>;
export type FoundApplicant = Ok<'/api/dossiers/applicants', 'get'>['found'];
export type Box = 'mine' | 'unit' | 'desk' | 'return' | 'all';
export type ListParams = { box: Box; status?: number; q?: string; overdue?: 'true'; page: number; pageSize: number };
export type FormNumber = '01' | '02' | '03' | '04' | '05' | '06';

export const dossierApi = {
  list: (query: ListParams) => unwrap(api.GET('/api/dossiers', { params: { query } })),
  counts: () => unwrap(api.GET('/api/dossiers/counts')),
  get: (id: string) => unwrap(api.GET('/api/dossiers/{id}', { params: { path: { id } } })),
  create: (body: CreateDossierInput, idempotencyKey: string) =>
    unwrap(api.POST('/api/dossiers', { body, params: { header: { 'idempotency-key': idempotencyKey } } })),
  act: (id: string, action: DossierAction, body: ActionInput, idempotencyKey: string) =>
    unwrap(api.POST('/api/dossiers/{id}/actions/{action}', { params: { path: { id, action }, header: { 'idempotency-key': idempotencyKey } }, body })),
  targets: (id: string, action: 'forward' | 'transfer' | 'approve' | 'complete') =>
    unwrap(api.GET('/api/dossiers/{id}/targets', { params: { path: { id }, query: { action } } })),
  /** The "Đóng dấu điện tử kết quả" dialog: the deciding agency and its usable seal credentials. */
  sealOptions: (id: string) => unwrap(api.GET('/api/dossiers/{id}/seal-options', { params: { path: { id } } })),
  findApplicant: (idNumber: string) => unwrap(api.GET('/api/dossiers/applicants', { params: { query: { idNumber } } })),
};

/** The PDF of a form (opened in a new tab to print). */
export const formUrl = (id: string, n: FormNumber, actionId?: string | null) =>
  `/api/dossiers/${encodeURIComponent(id)}/forms/${n}.pdf${actionId ? `?actionId=${encodeURIComponent(actionId)}` : ''}`;

/** A stored file (scan, supplement, result), opened in a new tab. */
export const fileUrl = (fileId: string) => `/api/files/${encodeURIComponent(fileId)}`;

export const dossierKeys = {
  all: ['dossiers'] as const,
  list: (p: ListParams) => ['dossiers', 'list', p] as const,
  counts: ['dossiers', 'counts'] as const,
  detail: (id: string) => ['dossiers', 'detail', id] as const,
  targets: (id: string, action: string) => ['dossiers', 'targets', id, action] as const,
  sealOptions: (id: string) => ['dossiers', 'seal-options', id] as const,
};

/** A fresh key per user intent: a double click or a retry sends the same key, the server does it once. */
export const newIdempotencyKey = () => `web-${crypto.randomUUID()}`;

/** Actions that need a written reason (the server checks too). */
export const REASON_ACTIONS: DossierAction[] = ['refuse', 'request-supplement', 'request-fee', 'fee-paid', 'apologize', 'stop', 'withdraw'];
