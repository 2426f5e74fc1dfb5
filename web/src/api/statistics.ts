import type { paths } from './schema';
import { api, unwrap } from './client';

/** Thống kê một cửa: GET /api/dossier-statistics (JSON) and its .xlsx export URL. Types from the generated schema. */
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R } ? (R extends { 200: infer S } ? JsonOf<S> : never) : never;

export type DossierStatistics = Ok<'/api/dossier-statistics', 'get'>;
export type Figures = DossierStatistics['totals'];
export type OfficerRow = DossierStatistics['byOfficer'][number];
export type Grouping = DossierStatistics['groupBy'];
export type StatisticsQuery = { from: string; to: string; unitId?: string; groupBy: Grouping };

const query = (q: StatisticsQuery) => ({ from: q.from, to: q.to, groupBy: q.groupBy, ...(q.unitId ? { unitId: q.unitId } : {}) });

export const statisticsApi = {
  get: (q: StatisticsQuery) => unwrap(api.GET('/api/dossier-statistics', { params: { query: { ...query(q), format: 'json' } } })),
  /** Downloaded by the browser with the session cookie (the export is audited by the server). */
  xlsxUrl: (q: StatisticsQuery) => `/api/dossier-statistics?${new URLSearchParams({ ...query(q), format: 'xlsx' }).toString()}`,
};
