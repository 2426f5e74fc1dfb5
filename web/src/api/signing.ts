import type { paths } from './schema';
import { api, rawFetch, unwrap } from './client';

/** Signing API for the web pages: "Ký số", "Đóng dấu và phát hành", the signature panel and the public verify page. */

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: infer S } ? JsonOf<S> : R extends { 201: infer S } ? JsonOf<S> : never
  : never;
type JsonBody<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type SigningOptions = Ok<'/api/documents/{id}/signing-options', 'get'>;
export type Credential = SigningOptions['credentials'][number];
export type DocumentSignatures = Ok<'/api/documents/{id}/signatures', 'get'>;
export type SignedFile = DocumentSignatures['files'][number];
export type VerificationReport = SignedFile['report'];
export type SignatureReport = VerificationReport['signatures'][number];
export type SignatureRecord = SignedFile['records'][number];
export type SignBody = JsonBody<'/api/documents/{id}/sign', 'post'>;
export type Placement = SignBody['placement'];
export type SealIssueBody = JsonBody<'/api/documents/{id}/seal-issue', 'post'>;

export type SigningCredential = Ok<'/api/signing/credentials', 'get'>['items'][number];
export type TrustedRoot = Ok<'/api/signing/trusted-roots', 'get'>['items'][number];
export type SignatureImage = NonNullable<Ok<'/api/signing/images/me', 'get'>['image']>;
export type ExternalPrepared = Ok<'/api/documents/{id}/sign/external', 'post'>;
export type ExternalBody = JsonBody<'/api/documents/{id}/sign/external', 'post'>;
export type SealExternalPrepared = Ok<'/api/documents/{id}/seal-issue/external', 'post'>;
export type SealExternalBody = JsonBody<'/api/documents/{id}/seal-issue/external', 'post'>;
export type IssueBody = JsonBody<'/api/signing/credentials/issue', 'post'>;
export type CredentialAction = JsonBody<'/api/signing/credentials/{id}/status', 'post'>['action'];

export const signingKeys = {
  credentials: ['signing', 'credentials'] as const,
  trustedRoots: ['signing', 'trusted-roots'] as const,
  config: ['signing', 'config'] as const,
  options: (id: string) => ['signing', 'options', id] as const,
  signatures: (id: string) => ['signing', 'signatures', id] as const,
};

export const signingApi = {
  options: (id: string) => unwrap(api.GET('/api/documents/{id}/signing-options', { params: { path: { id } } })),
  signatures: (id: string) => unwrap(api.GET('/api/documents/{id}/signatures', { params: { path: { id } } })),
  sign: (id: string, body: SignBody) => unwrap(api.POST('/api/documents/{id}/sign', { params: { path: { id } }, body })),
  sealIssue: (id: string, body: SealIssueBody) => unwrap(api.POST('/api/documents/{id}/seal-issue', { params: { path: { id } }, body })),
  config: () => unwrap(api.GET('/api/signing/config')),
  /** Credentials in the caller's administration scope (up to 200). */
  credentials: async () => (await unwrap(api.GET('/api/signing/credentials', { params: { query: { pageSize: 200 } } }))).items,
  issue: (body: IssueBody) => unwrap(api.POST('/api/signing/credentials/issue', { body })),
  credentialStatus: (id: string, action: CredentialAction) =>
    unwrap(api.POST('/api/signing/credentials/{id}/status', { params: { path: { id } }, body: { action } })),
  /** Multipart PKCS#12 upload: file, pin, owner, userId | unitId, label. */
  uploadPkcs12: async (file: File, fields: Record<string, string | undefined>): Promise<SigningCredential> => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) if (v) form.append(k, v);
    form.append('file', file, file.name);
    return (await (await rawFetch('/api/signing/credentials/pkcs12', { method: 'POST', body: form })).json()) as SigningCredential;
  },
  trustedRoots: async () => (await unwrap(api.GET('/api/signing/trusted-roots'))).items,
  addTrustedRoot: async (file: File, name?: string, note?: string) => {
    const form = new FormData();
    if (name) form.append('name', name);
    if (note) form.append('note', note);
    form.append('file', file, file.name);
    return (await (await rawFetch('/api/signing/trusted-roots', { method: 'POST', body: form })).json()) as { added: TrustedRoot[]; skipped: number };
  },
  removeTrustedRoot: (id: string) => unwrap(api.DELETE('/api/signing/trusted-roots/{id}', { params: { path: { id } } })),
  signatureImage: async () => (await unwrap(api.GET('/api/signing/images/me'))).image,
  setSignatureImage: async (fileId: string) => (await unwrap(api.PUT('/api/signing/images/me', { body: { fileId } }))).image,
  removeSignatureImage: () => unwrap(api.DELETE('/api/signing/images/me')),
  seal: async (unitId: string) => (await unwrap(api.GET('/api/units/{id}/seal', { params: { path: { id: unitId } } }))).image,
  setSeal: async (unitId: string, fileId: string, diameterMm: number) =>
    (await unwrap(api.PUT('/api/units/{id}/seal', { params: { path: { id: unitId } }, body: { fileId, diameterMm } }))).image,
  removeSeal: (unitId: string) => unwrap(api.DELETE('/api/units/{id}/seal', { params: { path: { id: unitId } } })),
  prepareExternal: (id: string, body: ExternalBody) => unwrap(api.POST('/api/documents/{id}/sign/external', { params: { path: { id } }, body })),
  finaliseExternal: (id: string, pendingId: string, cms: string) =>
    unwrap(api.POST('/api/documents/{id}/sign/external/{pendingId}', { params: { path: { id, pendingId } }, body: { cms } })),
  /** "Đóng dấu và phát hành" with the agency's USB token: step 1 (number and date written, nothing issued yet). */
  prepareSealExternal: (id: string, body: SealExternalBody) => unwrap(api.POST('/api/documents/{id}/seal-issue/external', { params: { path: { id } }, body })),
  /** Step 2: the tool's CMS; issues with the prepared number (409 seal-number-changed when it was taken meanwhile). */
  finaliseSealExternal: (id: string, pendingId: string, cms: string) =>
    unwrap(api.POST('/api/documents/{id}/seal-issue/external/{pendingId}', { params: { path: { id, pendingId } }, body: { cms } })),
  attachSignedPdf: (id: string, fileId: string) => unwrap(api.POST('/api/documents/{id}/signed-pdf', { params: { path: { id } }, body: { fileId } })),
  /** Public: POST /api/signatures/verify with the PDF as multipart `file` (no sign-in needed). */
  verify: async (file: File): Promise<VerificationReport> => {
    const form = new FormData();
    form.append('file', file, file.name);
    const res = await rawFetch('/api/signatures/verify', { method: 'POST', body: form });
    return (await res.json()) as VerificationReport;
  },
};
