import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { type Handler, docKeys, documentsApi } from './documents';
import type { Me, Official, Role } from './types';

/** Has the user this role in any unit? */
export function hasRole(me: Me | undefined, ...roles: Role[]): boolean {
  return !!me?.roles.some((r) => roles.includes(r.role));
}
export const isClerk = (me: Me | undefined) => hasRole(me, 'clerk');
export const isLeader = (me: Me | undefined) => hasRole(me, 'leader', 'deputy_leader');
export const canReport = (me: Me | undefined) => hasRole(me, 'clerk', 'leader', 'deputy_leader');

export function useDocumentTypes() {
  return useQuery({ queryKey: docKeys.types, queryFn: documentsApi.types, staleTime: 3_600_000 });
}

export function useRegisterBooks(direction: 'incoming' | 'outgoing', enabled = true) {
  return useQuery({ queryKey: docKeys.books(direction), queryFn: () => documentsApi.books(direction), staleTime: 600_000, enabled });
}

/** Officials in the caller's scope (first 200, active), for handler and leader pickers. */
export function useScopeOfficials(enabled = true) {
  return useQuery({
    queryKey: ['officials', { pageSize: 200, scope: true }],
    queryFn: async (): Promise<Official[]> => (await unwrap(api.GET('/api/officials', { params: { query: { pageSize: 200 } } }))).items,
    staleTime: 300_000,
    enabled,
  });
}


export const officialLabel = (o: Official) => (o.positionTitle ? `${o.fullName} — ${o.positionTitle}` : o.fullName);

/** Handlers a leader may assign, or leaders a clerk may present to (GET /api/officials/handlers). */
export function useHandlers(role: 'handler' | 'leader', enabled = true) {
  return useQuery({ queryKey: ['handlers', role], queryFn: async () => (await documentsApi.handlers(role)).items, staleTime: 300_000, enabled });
}

export const handlerLabel = (h: Handler) => [h.fullName, h.positionTitle].filter(Boolean).join(' — ');

/** Units of the whole deployment matching a search (GET /api/document-agencies). */
export function useAgencies(q: string, enabled = true) {
  return useQuery({ queryKey: ['agencies', q], queryFn: async () => (await documentsApi.agencies(q || undefined)).items, staleTime: 300_000, enabled });
}

/** Leaders who may sign the caller's drafts (GET /api/documents/signers). */
export function useSigners(enabled = true) {
  return useQuery({ queryKey: ['signers'], queryFn: documentsApi.signers, staleTime: 300_000, enabled });
}
