import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './client';
import type { Me, Role, Unit } from './types';

export const meKey = ['me'] as const;
export const unitsKey = ['units'] as const;

export function fetchMe(): Promise<Me> {
  return unwrap(api.GET('/api/me'));
}

export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe, retry: false, staleTime: 60_000 });
}

/** Units in the caller's scope, inactive ones included, ordered by tree path. */
export function useUnits(enabled = true) {
  return useQuery({
    queryKey: unitsKey,
    queryFn: async (): Promise<Unit[]> =>
      (await unwrap(api.GET('/api/units', { params: { query: { includeInactive: 'true' } } }))).items,
    enabled,
  });
}

export function isAdmin(me: Me | undefined): boolean {
  return !!me?.roles.some((r) => r.role === 'admin');
}

export function canManageDirectory(me: Me | undefined): boolean {
  return !!me?.roles.some((r) => r.role === 'admin' || r.role === 'unit_admin');
}

/** Who sees a unit's review chain: leaders and unit administrators change it, deputies see it read-only. */
export const REVIEW_CHAIN_ROLES: Role[] = ['admin', 'unit_admin', 'leader', 'deputy_leader'];

export function canSeeReviewChain(me: Me | undefined): boolean {
  return !!me?.roles.some((r) => REVIEW_CHAIN_ROLES.includes(r.role));
}
