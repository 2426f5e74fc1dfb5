import type { paths } from './schema';
import { api, unwrap } from './client';

/** Mẫu thông báo: the texts citizens receive per dossier event, by e-mail and SMS. */
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R } ? (R extends { 200: infer S } ? JsonOf<S> : never) : never;

export type TemplateList = Ok<'/api/notification-templates', 'get'>;
export type NotificationTemplate = TemplateList['items'][number];
export type TemplateKey = { event: NotificationTemplate['event']; channel: NotificationTemplate['channel'] };
export type TemplateBody = { subject?: string | null; body: string };

export const notificationApi = {
  list: () => unwrap(api.GET('/api/notification-templates')),
  save: (k: TemplateKey, body: TemplateBody) => unwrap(api.PUT('/api/notification-templates/{event}/{channel}', { params: { path: k }, body })),
  reset: (k: TemplateKey) => unwrap(api.DELETE('/api/notification-templates/{event}/{channel}', { params: { path: k } })),
  preview: (k: TemplateKey, body: TemplateBody) => unwrap(api.POST('/api/notification-templates/{event}/{channel}/preview', { params: { path: k }, body })),
};

export const notificationKeys = { templates: ['notification-templates'] as const };
