import { Select } from 'antd';
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';

/** Picks an official by typing part of a name (server-side search, first 20 matches). */
export function OfficialSelect({ value, onChange, placeholder, ariaLabel }: {
  value?: string; onChange?: (v: string | undefined) => void; placeholder?: string; ariaLabel?: string;
}) {
  const [q, setQ] = useState('');
  const { data, isFetching } = useQuery({
    queryKey: ['officials', { q, pageSize: 20, pick: true }],
    queryFn: () => unwrap(api.GET('/api/officials', { params: { query: { q: q || undefined, pageSize: 20, includeInactive: 'true' } } })),
  });
  return (
    <Select
      aria-label={ariaLabel}
      showSearch={{ filterOption: false, onSearch: setQ }}
      allowClear
      value={value}
      onChange={(v) => onChange?.(v)}
      loading={isFetching}
      placeholder={placeholder}
      style={{ width: 220 }}
      options={(data?.items ?? []).map((o) => ({ value: o.id, label: `${o.fullName} (${o.username})` }))}
    />
  );
}
