import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { Box, DocumentStatus, InboxState, ListQuery, SavedQuery, Urgency } from '../../api/documents';

/** The filters of a document list, kept in the address so home-page counts link to a filtered list. */
export type Filters = Omit<ListQuery, 'box'>;

const KEYS = ['q', 'typeCode', 'from', 'to', 'status', 'urgency', 'overdue', 'handlerId', 'state', 'sort'] as const;

export function filtersFromParams(params: URLSearchParams): Filters {
  const f: Filters = {};
  const get = (k: string) => params.get(k) || undefined;
  f.q = get('q');
  f.typeCode = get('typeCode');
  f.from = get('from');
  f.to = get('to');
  f.status = get('status') as DocumentStatus | undefined;
  f.urgency = get('urgency') as Urgency | undefined;
  f.overdue = params.get('overdue') === 'true' ? 'true' : undefined;
  f.handlerId = get('handlerId');
  f.state = get('state') as InboxState | undefined;
  const sort = params.get('sort');
  f.sort = sort === 'relevance' || sort === 'date' ? sort : undefined;
  const page = Number(params.get('page'));
  const size = Number(params.get('pageSize'));
  f.page = Number.isInteger(page) && page > 0 ? page : 1;
  f.pageSize = [10, 20, 50, 100].includes(size) ? size : 20;
  return f;
}

/** Filters of the list in the address bar; `tab` picks the list on pages that have several. */
export function useListParams(defaultTab: string) {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const tab = params.get('tab') ?? defaultTab;
  const update = useCallback(
    (patch: Partial<Filters> & { tab?: string }, keepPage = false) => {
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(patch)) {
          if (v === undefined || v === null || v === '') next.delete(k);
          else next.set(k, String(v));
        }
        if (!keepPage && !('page' in patch)) next.delete('page');
        return next;
      });
    },
    [setParams],
  );
  /** Replaces every filter (a saved search, or "clear"), keeping the tab. */
  const replace = useCallback(
    (f: Partial<Filters>) => {
      setParams((prev) => {
        const next = new URLSearchParams();
        const tabValue = prev.get('tab');
        if (tabValue) next.set('tab', tabValue);
        for (const k of KEYS) {
          const v = f[k];
          if (v !== undefined && v !== null && v !== '') next.set(k, String(v));
        }
        return next;
      });
    },
    [setParams],
  );
  /** Another list of the page: its filters start empty. */
  const switchTab = useCallback(
    (next: string) => setParams(next === defaultTab ? new URLSearchParams() : new URLSearchParams({ tab: next })),
    [setParams, defaultTab],
  );
  return { filters, tab, update, replace, switchTab };
}

/** The API query of a list: filters + box; the sort defaults to relevance while searching. */
export function toListQuery(box: Box, f: Filters): ListQuery {
  const q: ListQuery = { box };
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '') (q as Record<string, unknown>)[k] = v;
  if (!q.sort && q.q) q.sort = 'relevance';
  return q;
}

/** The part of the filters a saved search keeps (no page; overdue as a boolean). */
export function savedPart(f: Filters): Omit<SavedQuery, 'box'> {
  const out: Record<string, unknown> = {};
  for (const k of KEYS) {
    const v = f[k];
    if (v !== undefined && v !== '') out[k] = k === 'overdue' ? true : v;
  }
  return out as Omit<SavedQuery, 'box'>;
}

/** The filters of a saved search (as stored by the server). */
export function fromSaved(query: Record<string, unknown>): Partial<Filters> {
  const params = new URLSearchParams();
  for (const k of KEYS) {
    const v = query[k];
    if (typeof v === 'string' && v) params.set(k, v);
    if (k === 'overdue' && v === true) params.set(k, 'true');
  }
  const { page: _p, pageSize: _s, ...rest } = filtersFromParams(params);
  return rest;
}
