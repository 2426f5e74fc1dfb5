/**
 * HAND-WRITTEN stand-in for the file `npm run api:types` generates from the server's OpenAPI
 * document (openapi-typescript format). Regenerating overwrites this file; nothing else changes.
 */
type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type Empty = { headers: { [name: string]: unknown }; content?: never };
type Body<T> = { content: { 'application/json': T } };
type NoParams = { query?: never; header?: never; path?: never; cookie?: never };
type IdPath = { query?: never; header?: never; path: { id: string }; cookie?: never };
type Op<P, B, R> = { parameters: P; responses: R } & ([B] extends [never] ? { requestBody?: never } : { requestBody: B });
type Path<O> = { parameters: { query?: never; header?: never; path?: never; cookie?: never } } & O;

type Role = 'admin' | 'unit_admin' | 'clerk' | 'specialist' | 'leader' | 'deputy_leader' | 'onestop_officer';
type Level = 'central' | 'province' | 'district' | 'commune';
type Kind = 'people_committee' | 'department' | 'office' | 'onestop_desk' | 'division' | 'other';
type RoleGrant = { unitId: string; unitName: string; role: Role };
type User = {
  id: string; kind: 'official' | 'citizen'; username: string; fullName: string;
  email: string | null; phone: string | null; positionTitle: string | null;
  unitId: string | null; unitName: string | null; twoFactorEnabled: boolean; idNumber?: string | null;
};
type Session = { token: string; csrfToken: string; expiresAt: string; user: User };
type Unit = {
  id: string; parentId: string | null; level: Level; kind: Kind; name: string; shortName: string;
  agencyCode: string | null; address: string | null; phone: string | null; email: string | null;
  active: boolean; depth: number;
};
type UnitInput = {
  parentId: string | null; level: Level; kind: Kind; name: string; shortName: string;
  agencyCode?: string | null; address?: string | null; phone?: string | null; email?: string | null;
};
type Official = {
  id: string; username: string; fullName: string; positionTitle: string | null; unitId: string;
  unitName: string; email: string | null; phone: string | null; active: boolean;
  twoFactorEnabled: boolean; roles: RoleGrant[];
};
type Page<T> = { items: T[]; total: number; page: number; pageSize: number };
type AuditEntry = {
  id: string; seq: number; at: string; actorId: string | null; actorName: string | null;
  unitId: string | null; action: string; objectType: string; objectId: string | null;
  summary: unknown; requestId: string | null; ip: string | null;
};

export interface paths {
  '/api/health': Path<{ get: Op<NoParams, never, { 200: Json<{ status: string; database: string; version: string }> }> }>;
  '/api/auth/login': Path<{
    post: Op<NoParams, Body<{ username: string; password: string }>,
      { 200: Json<Session | { twoFactorRequired: true; challenge: string }> }>;
  }>;
  '/api/auth/login/totp': Path<{ post: Op<NoParams, Body<{ challenge: string; code: string }>, { 200: Json<Session> }> }>;
  '/api/auth/logout': Path<{ post: Op<NoParams, never, { 204: Empty }> }>;
  '/api/me': Path<{
    get: Op<NoParams, never, { 200: Json<{ user: User; roles: RoleGrant[]; mustEnrollTwoFactor: boolean }> }>;
  }>;
  '/api/me/password': Path<{ post: Op<NoParams, Body<{ currentPassword: string; newPassword: string }>, { 204: Empty }> }>;
  '/api/me/totp/setup': Path<{ post: Op<NoParams, never, { 200: Json<{ secret: string; otpauthUrl: string; qrDataUrl: string }> }> }>;
  '/api/me/totp/enable': Path<{ post: Op<NoParams, Body<{ code: string }>, { 204: Empty }> }>;
  '/api/me/totp/disable': Path<{ post: Op<NoParams, Body<{ password: string }>, { 204: Empty }> }>;
  '/api/units': Path<{
    get: Op<{ query?: { includeInactive?: boolean }; header?: never; path?: never; cookie?: never }, never, { 200: Json<{ items: Unit[] }> }>;
    post: Op<NoParams, Body<UnitInput>, { 201: Json<Unit> }>;
  }>;
  '/api/units/{id}': Path<{
    get: Op<IdPath, never, { 200: Json<Unit> }>;
    patch: Op<IdPath, Body<Partial<UnitInput> & { active?: boolean }>, { 200: Json<Unit> }>;
    delete: Op<IdPath, never, { 204: Empty }>;
  }>;
  '/api/officials': Path<{
    get: Op<{
      query?: { unitId?: string; q?: string; includeInactive?: boolean; page?: number; pageSize?: number };
      header?: never; path?: never; cookie?: never;
    }, never, { 200: Json<Page<Official>> }>;
    post: Op<NoParams, Body<{
      username: string; fullName: string; positionTitle?: string | null; unitId: string;
      email?: string | null; phone?: string | null; password: string; roles: { unitId: string; role: Role }[];
    }>, { 201: Json<Official> }>;
  }>;
  '/api/officials/{id}': Path<{
    get: Op<IdPath, never, { 200: Json<Official> }>;
    patch: Op<IdPath, Body<{
      fullName?: string; positionTitle?: string | null; unitId?: string; email?: string | null;
      phone?: string | null; active?: boolean;
    }>, { 200: Json<Official> }>;
  }>;
  '/api/officials/{id}/roles': Path<{ put: Op<IdPath, Body<{ roles: { unitId: string; role: Role }[] }>, { 200: Json<Official> }> }>;
  '/api/officials/{id}/password': Path<{ post: Op<IdPath, Body<{ newPassword: string }>, { 204: Empty }> }>;
  '/api/directory/import': Path<{ post: Op<NoParams, never, { 200: Json<{ unitsCreated: number; officialsCreated: number }> }> }>;
  '/api/audit': Path<{
    get: Op<{
      query?: {
        action?: string; actorId?: string; unitId?: string; objectType?: string; objectId?: string;
        from?: string; to?: string; page?: number; pageSize?: number;
      };
      header?: never; path?: never; cookie?: never;
    }, never, { 200: Json<Page<AuditEntry>> }>;
  }>;
  '/api/audit/verify': Path<{
    get: Op<NoParams, never, { 200: Json<{ ok: boolean; checked: number; firstBrokenSeq?: number; reason?: string }> }>;
  }>;
  '/api/admin/security': Path<{
    get: Op<NoParams, never, { 200: Json<{ requireTwoFactorRoles: Role[] }> }>;
    put: Op<NoParams, Body<{ requireTwoFactorRoles: Role[] }>, { 200: Json<{ requireTwoFactorRoles: Role[] }> }>;
  }>;
}
export type webhooks = Record<string, never>;
export interface components { schemas: never; responses: never; parameters: never; requestBodies: never; headers: never; pathItems: never }
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
