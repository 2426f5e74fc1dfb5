import type { paths } from './schema';
import { api, unwrap } from './client';

/**
 * System settings screens: the outbox (hàng đợi gửi thư), the deadline digest (nhắc hạn xử lý) and a
 * unit's review chain for outgoing drafts (quy trình trình duyệt). Types come from the generated
 * schema; pages call the functions below, never the paths themselves.
 */

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: infer S } ? JsonOf<S> : never
  : never;

export type OutboxPage = Ok<'/api/admin/outbox', 'get'>;
export type OutboxItem = OutboxPage['items'][number];
export type OutboxStatus = OutboxItem['status'];
export type OutboxQuery = { status?: OutboxStatus; page: number; pageSize: number };
export type DigestSettings = Ok<'/api/settings/digest', 'get'>;
export type ReviewConfig = Ok<'/api/review-config/{unitId}', 'get'>;
export type ReviewStep = ReviewConfig['steps'][number];

/** In the order the tabs show them: what needs attention first. */
export const OUTBOX_STATUSES: OutboxStatus[] = ['pending', 'failed', 'sent'];

export const adminApi = {
  outbox: (query: OutboxQuery) => unwrap(api.GET('/api/admin/outbox', { params: { query } })),
  /** 204; 409 when the item is not (or no longer) failed. */
  retryOutbox: (id: string) => unwrap(api.POST('/api/admin/outbox/{id}/retry', { params: { path: { id } } })),
  digest: () => unwrap(api.GET('/api/settings/digest')),
  saveDigest: (body: DigestSettings) => unwrap(api.PUT('/api/settings/digest', { body })),
  reviewConfig: (unitId: string) => unwrap(api.GET('/api/review-config/{unitId}', { params: { path: { unitId } } })),
  saveReviewConfig: (unitId: string, steps: ReviewStep[]) =>
    unwrap(api.PUT('/api/review-config/{unitId}', { params: { path: { unitId } }, body: { steps } })),
};

export const adminKeys = {
  outbox: ['outbox'] as const,
  outboxPage: (q: OutboxQuery) => ['outbox', q] as const,
  digest: ['settings', 'digest'] as const,
  reviewConfig: (unitId: string) => ['review-config', unitId] as const,
};
