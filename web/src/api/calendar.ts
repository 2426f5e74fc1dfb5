import type { paths } from './schema';
import { api, unwrap } from './client';

/**
 * Lịch làm việc: the year view of holidays (computed + adjustments), administrators' adjustments and
 * office hours per unit. Types come from the generated schema.
 */
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Ok<P extends keyof paths, M extends keyof paths[P], C extends number = 200> = paths[P][M] extends { responses: infer R }
  ? R extends Record<C, infer S> ? JsonOf<S> : never
  : never;

export type YearView = Ok<'/api/calendar/holidays', 'get'>;
export type SpecialDay = YearView['days'][number];
export type Adjustment = Ok<'/api/calendar/adjustments', 'get'>['items'][number];
export type AdjustmentInput = { unitId: string | null; date: string; kind: Adjustment['kind']; name: string; legalBasis: string | null };
export type OfficeHours = Ok<'/api/calendar/office-hours/{unitId}', 'get'>;
export type OfficeHoursInput = Pick<OfficeHours, 'sessions' | 'saturdayMorning' | 'sameDayCutoff'>;

export const calendarApi = {
  year: (year: number, unitId: string | null) => unwrap(api.GET('/api/calendar/holidays', { params: { query: { year, ...(unitId ? { unitId } : {}) } } })),
  adjustments: (year: number, unitId: string | null) =>
    unwrap(api.GET('/api/calendar/adjustments', { params: { query: { year, ...(unitId ? { unitId } : {}) } } })),
  addAdjustment: (body: AdjustmentInput) => unwrap(api.POST('/api/calendar/adjustments', { body })),
  removeAdjustment: (id: string) => unwrap(api.DELETE('/api/calendar/adjustments/{id}', { params: { path: { id } } })),
  officeHours: (unitId: string) => unwrap(api.GET('/api/calendar/office-hours/{unitId}', { params: { path: { unitId } } })),
  saveOfficeHours: (unitId: string, body: OfficeHoursInput) => unwrap(api.PUT('/api/calendar/office-hours/{unitId}', { params: { path: { unitId } }, body })),
  clearOfficeHours: (unitId: string) => unwrap(api.DELETE('/api/calendar/office-hours/{unitId}', { params: { path: { unitId } } })),
};

export const calendarKeys = {
  all: ['calendar'] as const,
  year: (year: number, unitId: string | null) => ['calendar', 'year', year, unitId ?? ''] as const,
  adjustments: (year: number, unitId: string | null) => ['calendar', 'adjustments', year, unitId ?? ''] as const,
  officeHours: (unitId: string) => ['calendar', 'office-hours', unitId] as const,
};
