import type { paths } from './schema';

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: infer S } ? JsonOf<S> : R extends { 201: infer S } ? JsonOf<S> : never
  : never;

export type Me = Ok<'/api/me', 'get'>;
export type User = Me['user'];
export type RoleGrant = Me['roles'][number];
export type Role = RoleGrant['role'];
export type Unit = Ok<'/api/units', 'get'>['items'][number];
export type Level = Unit['level'];
export type Kind = Unit['kind'];
export type Official = Ok<'/api/officials', 'get'>['items'][number];
export type AuditEntry = Ok<'/api/audit', 'get'>['items'][number];
export type AuditVerify = Ok<'/api/audit/verify', 'get'>;
export type TotpSetup = Ok<'/api/me/totp/setup', 'post'>;
export type LoginAnswer = Ok<'/api/auth/login', 'post'>;

export const ROLES: Role[] = ['admin', 'unit_admin', 'clerk', 'specialist', 'leader', 'deputy_leader', 'onestop_officer'];
export const LEVELS: Level[] = ['central', 'province', 'district', 'commune'];
export const KINDS: Kind[] = ['people_committee', 'department', 'office', 'onestop_desk', 'division', 'other'];
