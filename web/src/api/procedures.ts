import type { paths } from './schema';
import { api, rawFetch, unwrap } from './client';

/** Thủ tục hành chính: the catalogue (public reads) and its administration. Types from the generated schema. */
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Ok<P extends keyof paths, M extends keyof paths[P], C extends number = 200> = paths[P][M] extends { responses: infer R }
  ? R extends Record<C, infer S> ? JsonOf<S> : never
  : never;
type JsonBody<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type ProcedureList = Ok<'/api/procedures', 'get'>;
export type ProcedureListItem = ProcedureList['items'][number];
export type ProcedureDetail = Ok<'/api/procedures/{id}', 'get'>;
export type ProcedureVersion = ProcedureDetail['current'];
export type ProcedureRecord = ProcedureVersion['record'];
export type ProcessStepView = ProcedureVersion['process'][number];
export type CreateInput = JsonBody<'/api/procedures', 'post'>;
export type EditInput = JsonBody<'/api/procedures/{id}', 'put'>;
export type ProcessInput = JsonBody<'/api/procedures/{id}/process', 'put'>;
export type ProcessStepInput = ProcessInput['steps'][number];
export type ChannelOffer = ProcedureRecord['channels'][number];
export type Duration = ChannelOffer['timeLimit'];
export type Fee = ChannelOffer['fee'];
export type ImportResult = Ok<'/api/procedures/import', 'post'>;

export type ListParams = { q?: string; field?: string; level?: ProcedureListItem['level']; includeRetired?: boolean; page: number; pageSize: number };

export const procedureApi = {
  list: (p: ListParams) =>
    unwrap(api.GET('/api/procedures', { params: { query: { ...p, includeRetired: p.includeRetired ? 'true' : undefined } } })),
  fields: () => unwrap(api.GET('/api/procedures/fields')),
  get: (id: string) => unwrap(api.GET('/api/procedures/{id}', { params: { path: { id } } })),
  create: (body: CreateInput) => unwrap(api.POST('/api/procedures', { body })),
  edit: (id: string, body: EditInput) => unwrap(api.PUT('/api/procedures/{id}', { params: { path: { id } }, body })),
  editProcess: (id: string, body: ProcessInput) => unwrap(api.PUT('/api/procedures/{id}/process', { params: { path: { id } }, body })),
  retire: (id: string, body: { reason: string; effectiveFrom?: string }) => unwrap(api.POST('/api/procedures/{id}/retire', { params: { path: { id } }, body })),
  /** The catalogue as a JSON file (a Blob to save). */
  exportFile: async (): Promise<Blob> => (await rawFetch('/api/procedures/export')).blob(),
  importFile: async (text: string): Promise<ImportResult> =>
    (await rawFetch('/api/procedures/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: text })).json() as Promise<ImportResult>,
};

export const formUrl = (fileId: string) => `/api/procedures/forms/${fileId}`;

export const procedureKeys = {
  all: ['procedures'] as const,
  list: (p: ListParams) => ['procedures', 'list', p] as const,
  fields: ['procedures', 'fields'] as const,
  detail: (id: string) => ['procedures', 'detail', id] as const,
};

/** The form's shape of a step (what PUT …/process takes) from a stored step. */
export const stepInput = (s: ProcessStepView): ProcessStepInput => ({
  kind: s.kind, name: s.name, role: s.role, unitRule: s.unitRule, targetUnitId: s.targetUnitId ?? null, targetLevel: s.targetLevel ?? null,
  shareKind: s.shareKind, shareValue: s.shareValue,
});
