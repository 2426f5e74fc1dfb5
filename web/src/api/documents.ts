import type { paths } from './schema';
import { api, rawFetch, unwrap } from './client';

/**
 * Documents API (văn bản đến/đi, hồ sơ, sổ đăng ký). Response shapes come from the generated schema
 * where the server already publishes them; request shapes follow the team's contract. Every call of
 * the documents pages goes through the functions below, so the pages do not depend on how a path is
 * reached.
 */

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: infer S } ? JsonOf<S> : R extends { 201: infer S } ? JsonOf<S> : never
  : never;

export type DocumentDetail = Ok<'/api/documents/{id}', 'get'>;
export type DocumentFile = DocumentDetail['files'][number];
export type Assignment = DocumentDetail['assignments'][number];
export type Review = DocumentDetail['reviews'][number];
export type Recipient = DocumentDetail['recipients'][number];
export type TimelineEntry = DocumentDetail['timeline'][number];
export type DocumentSummary = Ok<'/api/documents', 'get'>['items'][number];

export type Urgency = DocumentDetail['urgency'];
export type Secrecy = DocumentDetail['secrecy'];
export type DocumentStatus = DocumentDetail['status'];
export type DeadlineState = DocumentDetail['deadlineState'];
export type AssignmentRole = Assignment['role'];
export type AssignmentStatus = Assignment['status'];
export type RecipientStatus = Recipient['status'];

export const URGENCIES: Urgency[] = ['normal', 'urgent', 'very_urgent', 'flash'];
export const SECRECIES: Secrecy[] = ['none', 'confidential', 'secret', 'top_secret'];
export const INCOMING_STATUSES: DocumentStatus[] = ['registered', 'presented', 'assigned', 'in_progress', 'completed', 'recalled'];
export const OUTGOING_STATUSES: DocumentStatus[] = ['draft', 'in_review', 'approved', 'issued', 'recalled'];
export const INBOX_STATES = ['pending', 'in_progress', 'near_due', 'overdue', 'done'] as const;
export type InboxState = (typeof INBOX_STATES)[number];

export type Box = 'incoming' | 'outgoing' | 'assigned' | 'all';
type ListParams = NonNullable<paths['/api/documents']['get']['parameters']['query']>;
/** The list query of GET /api/documents (all optional except box; overdue as the query string carries it). */
export type ListQuery = Omit<ListParams, 'box' | 'overdue' | 'cursor'> & { box: Box; overdue?: 'true' };
export type DocumentPage = Ok<'/api/documents', 'get'>;
export type InboxCounts = Ok<'/api/documents/counts', 'get'>;
export type SavedSearch = Ok<'/api/saved-searches', 'get'>['items'][number];
export type SavedQuery = JsonBody<'/api/saved-searches', 'post'>['query'];
export type DocumentType = Ok<'/api/document-types', 'get'>['items'][number];
export type RegisterBook = Ok<'/api/register-books', 'get'>['items'][number];
export type StoredFile = Ok<'/api/files', 'post'>;
export type Agency = Ok<'/api/document-agencies', 'get'>['items'][number];
export type Handler = Ok<'/api/officials/handlers', 'get'>['items'][number];
export type Signer = Ok<'/api/documents/signers', 'get'>['items'][number];
type JsonBody<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
export type DuplicateRef = { id: string; arrivalNumber: number | null; numberSymbol: string | null; issuedDate: string | null };
export type IncomingInput = JsonBody<'/api/documents/incoming', 'post'>;
export type OutgoingInput = JsonBody<'/api/documents/outgoing', 'post'>;
export type OutgoingPatch = JsonBody<'/api/documents/{id}', 'patch'>;
export type RecipientInput = NonNullable<OutgoingInput['recipients']>[number];
/** An outgoing document as the outgoing endpoints answer it: the detail plus notes for the user. */
export type OutgoingAnswer = Ok<'/api/documents/outgoing', 'post'>;
export type AssignInput = JsonBody<'/api/documents/{id}/assign', 'post'>;
export type Delivery = Ok<'/api/deliveries', 'get'>['items'][number] & { urgency: Urgency; secrecy: Secrecy };
export type DeliveryPreview = Ok<'/api/deliveries/{id}', 'get'>;
export type DeliveryStatus = NonNullable<NonNullable<paths['/api/deliveries']['get']['parameters']['query']>['status']>;
export type WorkFile = Ok<'/api/work-files', 'get'>['items'][number];
export type WorkFileDetail = Ok<'/api/work-files/{id}', 'get'>;
export type WorkFileInput = JsonBody<'/api/work-files', 'post'>;
export type WorkFileStatus = WorkFile['status'];
export type IncomingRegister = Ok<'/api/registers/incoming', 'get'>;
export type OutgoingRegister = Ok<'/api/registers/outgoing', 'get'>;
export type RegisterQuery = { from: string; to: string; bookId?: string; unitId?: string; page?: number; pageSize?: number };
export type Statistics = Ok<'/api/documents/statistics', 'get'>;

/** A query string for the export URLs the browser downloads itself. */
function qs(query: Record<string, string | number | boolean | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

const id = (v: string) => ({ params: { path: { id: v } } });

export const documentsApi = {
  list: ({ overdue, ...q }: ListQuery) =>
    unwrap(api.GET('/api/documents', { params: { query: { ...q, ...(overdue ? { overdue: 'true' as const } : {}) } } })),
  counts: () => unwrap(api.GET('/api/documents/counts')),
  detail: (docId: string) => unwrap(api.GET('/api/documents/{id}', id(docId))),
  types: async () => (await unwrap(api.GET('/api/document-types'))).items,
  books: async (direction: 'incoming' | 'outgoing') => (await unwrap(api.GET('/api/register-books', { params: { query: { direction, pageSize: 200 } } }))).items,
  /** Units of the whole deployment by name or mã định danh (issuers, recipients). */
  agencies: (q?: string) => unwrap(api.GET('/api/document-agencies', { params: { query: { q, pageSize: 50 } } })),
  /** People a leader may assign in a unit (role=handler) or leaders a clerk may present to (role=leader). */
  handlers: (role: 'handler' | 'leader', q?: string, unitId?: string) =>
    unwrap(api.GET('/api/officials/handlers', { params: { query: { role, q, unitId, pageSize: 200 } } })),
  /** Leaders who may sign a draft of the caller's unit. */
  signers: async () => (await unwrap(api.GET('/api/documents/signers', { params: { query: { pageSize: 200 } } }))).items,
  registerIncoming: (body: IncomingInput) => unwrap(api.POST('/api/documents/incoming', { body })),
  createOutgoing: (body: OutgoingInput) => unwrap(api.POST('/api/documents/outgoing', { body })),
  updateOutgoing: (docId: string, body: OutgoingPatch) => unwrap(api.PATCH('/api/documents/{id}', { ...id(docId), body })),
  addDraftFile: (docId: string, body: { fileId: string; note?: string | null }) =>
    unwrap(api.POST('/api/documents/{id}/draft-files', { ...id(docId), body })),
  submit: (docId: string) => unwrap(api.POST('/api/documents/{id}/submit', id(docId))),
  approve: (docId: string, note?: string) => unwrap(api.POST('/api/documents/{id}/approve', { ...id(docId), body: { note } })),
  signedFile: (docId: string, fileId: string) => unwrap(api.POST('/api/documents/{id}/signed-file', { ...id(docId), body: { fileId } })),
  issue: (docId: string, bookId?: string) => unwrap(api.POST('/api/documents/{id}/issue', { ...id(docId), body: { bookId } })),
  recall: (docId: string, reason: string) => unwrap(api.POST('/api/documents/{id}/recall', { ...id(docId), body: { reason } })),
  present: (docId: string, body: JsonBody<'/api/documents/{id}/present', 'post'>) => unwrap(api.POST('/api/documents/{id}/present', { ...id(docId), body })),
  assign: (docId: string, body: AssignInput) => unwrap(api.POST('/api/documents/{id}/assign', { ...id(docId), body })),
  progress: (docId: string, body: JsonBody<'/api/documents/{id}/progress', 'post'>) => unwrap(api.POST('/api/documents/{id}/progress', { ...id(docId), body })),
  /** Return with a reason: an incoming assignment to its leader, or an outgoing draft to its author. */
  giveBack: (docId: string, reason: string) => unwrap(api.POST('/api/documents/{id}/return', { ...id(docId), body: { reason } })),
  handover: (docId: string, body: JsonBody<'/api/documents/{id}/handover', 'post'>) => unwrap(api.POST('/api/documents/{id}/handover', { ...id(docId), body })),
  forward: (docId: string, body: JsonBody<'/api/documents/{id}/forward', 'post'>) => unwrap(api.POST('/api/documents/{id}/forward', { ...id(docId), body })),
  complete: (docId: string, body: JsonBody<'/api/documents/{id}/complete', 'post'>) => unwrap(api.POST('/api/documents/{id}/complete', { ...id(docId), body })),
  unread: (docId: string) => unwrap(api.POST('/api/documents/{id}/unread', id(docId))),
  savedSearches: async () => (await unwrap(api.GET('/api/saved-searches'))).items,
  saveSearch: (name: string, query: SavedQuery) => unwrap(api.POST('/api/saved-searches', { body: { name, query } })),
  deleteSearch: (searchId: string) => unwrap(api.DELETE('/api/saved-searches/{id}', id(searchId))),
  deliveries: async (status: DeliveryStatus, page = 1, pageSize = 20) => {
    const r = await unwrap(api.GET('/api/deliveries', { params: { query: { status, page, pageSize } } }));
    return { ...r, items: r.items as Delivery[] };
  },
  delivery: (deliveryId: string) => unwrap(api.GET('/api/deliveries/{id}', id(deliveryId))),
  accept: (deliveryId: string, body: { bookId?: string; dueDate?: string } = {}) =>
    unwrap(api.POST('/api/deliveries/{id}/accept', { ...id(deliveryId), body })),
  refuse: (deliveryId: string, reason: string) => unwrap(api.POST('/api/deliveries/{id}/refuse', { ...id(deliveryId), body: { reason } })),
  statistics: (q: { from: string; to: string; unitId?: string }) =>
    unwrap(api.GET('/api/documents/statistics', { params: { query: { ...q, format: 'json' } } })),
  register: (direction: 'incoming' | 'outgoing', q: RegisterQuery): Promise<IncomingRegister | OutgoingRegister> =>
    direction === 'incoming'
      ? unwrap(api.GET('/api/registers/incoming', { params: { query: { ...q, format: 'json' } } }))
      : unwrap(api.GET('/api/registers/outgoing', { params: { query: { ...q, format: 'json' } } })),
};

/** URLs of the exports (downloaded by the browser with the session cookie). */
export const exportUrls = {
  register: (direction: 'incoming' | 'outgoing', q: RegisterQuery, format: 'xlsx' | 'pdf') =>
    `/api/registers/${direction}${qs({ from: q.from, to: q.to, bookId: q.bookId, unitId: q.unitId, format })}`,
  statistics: (q: { from: string; to: string; unitId?: string }) => `/api/documents/statistics${qs({ ...q, format: 'xlsx' })}`,
  workFile: (fileId: string, format: 'pdf' | 'xml') => `/api/work-files/${encodeURIComponent(fileId)}/export${qs({ format })}`,
  file: (fileId: string, download = false) => `/api/files/${encodeURIComponent(fileId)}${download ? '?download=true' : ''}`,
};

export const workFilesApi = {
  list: (query: NonNullable<paths['/api/work-files']['get']['parameters']['query']>) => unwrap(api.GET('/api/work-files', { params: { query } })),
  detail: (fileId: string) => unwrap(api.GET('/api/work-files/{id}', id(fileId))),
  create: (body: WorkFileInput) => unwrap(api.POST('/api/work-files', { body })),
  update: (fileId: string, body: Partial<Omit<WorkFileInput, 'unitId' | 'year'>>) => unwrap(api.PATCH('/api/work-files/{id}', { ...id(fileId), body })),
  remove: (fileId: string) => unwrap(api.DELETE('/api/work-files/{id}', id(fileId))),
  open: (fileId: string) => unwrap(api.POST('/api/work-files/{id}/open', id(fileId))),
  close: (fileId: string) => unwrap(api.POST('/api/work-files/{id}/close', id(fileId))),
  transfer: (fileId: string) => unwrap(api.POST('/api/work-files/{id}/transfer', id(fileId))),
  reopen: (fileId: string, reason: string) => unwrap(api.POST('/api/work-files/{id}/reopen', { ...id(fileId), body: { reason } })),
  copyYear: (body: { unitId?: string | null; fromYear: number; toYear: number }) => unwrap(api.POST('/api/work-files/copy', { body })),
  addDocument: (fileId: string, documentId: string) =>
    unwrap(api.POST('/api/work-files/{id}/documents', { ...id(fileId), body: { documentId } })),
  removeDocument: (fileId: string, documentId: string) =>
    unwrap(api.DELETE('/api/work-files/{id}/documents/{documentId}', { params: { path: { id: fileId, documentId } } })),
};

/** Uploads one file (multipart field `file`) and answers the stored file. */
export async function uploadFile(file: File | Blob, name?: string): Promise<StoredFile> {
  const form = new FormData();
  form.append('file', file, name ?? (file instanceof File ? file.name : 'tep'));
  const res = await rawFetch('/api/files', { method: 'POST', body: form });
  return (await res.json()) as StoredFile;
}

export const docKeys = {
  all: ['documents'] as const,
  list: (q: ListQuery) => ['documents', 'list', q] as const,
  detail: (id: string) => ['documents', 'detail', id] as const,
  counts: ['documents', 'counts'] as const,
  types: ['document-types'] as const,
  books: (d: string) => ['register-books', d] as const,
  saved: ['saved-searches'] as const,
  deliveries: ['deliveries'] as const,
  workFiles: ['work-files'] as const,
};
