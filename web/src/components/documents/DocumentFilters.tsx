import { DeleteOutlined, FilterOutlined, SaveOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, DatePicker, Form, Input, Modal, Popconfirm, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Box, type DocumentStatus, docKeys, documentsApi } from '../../api/documents';
import { useDocumentTypes } from '../../api/documentQueries';
import { useT } from '../../i18n';
import { fromSaved, savedPart, type Filters } from './listParams';
import { statusOptions, urgencyOptions } from './labels';

type Props = {
  box: Box;
  filters: Filters;
  statuses: DocumentStatus[];
  onChange: (patch: Partial<Filters>) => void;
  onReplace: (f: Partial<Filters>) => void;
};

/** Search box, filters, sort and saved searches of a document list. */
export function DocumentFilters({ box, filters, statuses, onChange, onReplace }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [more, setMore] = useState(!!(filters.typeCode || filters.from || filters.status || filters.urgency || filters.overdue));
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const { data: types = [] } = useDocumentTypes();
  const saved = useQuery({ queryKey: docKeys.saved, queryFn: documentsApi.savedSearches });
  const save = useMutation({
    mutationFn: () => documentsApi.saveSearch(name.trim(), { box, ...savedPart(filters) }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: docKeys.saved });
      message.success(t('doc.search.saved'));
      setNaming(false);
      setName('');
    },
    onError: (e) => message.error(e.message),
  });
  const remove = useMutation({
    mutationFn: (id: string) => documentsApi.deleteSearch(id),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: docKeys.saved });
      message.success(t('doc.search.deleted'));
    },
    onError: (e) => message.error(e.message),
  });
  const range = filters.from || filters.to
    ? [filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null] as const
    : null;

  return (
    <div style={{ marginBottom: 16 }}>
      <Space wrap style={{ width: '100%' }}>
        <Input.Search
          key={filters.q ?? ''}
          defaultValue={filters.q}
          placeholder={t('doc.search.placeholder')}
          aria-label={t('doc.search.label')}
          allowClear
          enterButton
          style={{ width: 'min(360px, 100%)' }}
          onSearch={(v) => onChange({ q: v.trim() || undefined })}
        />
        <Select
          aria-label={t('doc.search.sort')}
          style={{ width: 170 }}
          value={filters.sort ?? (filters.q ? 'relevance' : 'date')}
          onChange={(v) => onChange({ sort: v })}
          options={[
            { value: 'relevance', label: t('doc.search.byRelevance') },
            { value: 'date', label: t('doc.search.byDate') },
          ]}
        />
        <Button icon={<FilterOutlined />} onClick={() => setMore((m) => !m)} aria-expanded={more}>
          {t('doc.search.filters')}
        </Button>
        <Select
          aria-label={t('doc.search.savedList')}
          placeholder={t('doc.search.savedList')}
          style={{ width: 220 }}
          value={null}
          loading={saved.isLoading}
          notFoundContent={t('doc.search.noSaved')}
          onChange={(id: string) => {
            const s = saved.data?.find((x) => x.id === id);
            if (s) onReplace(fromSaved(s.query));
          }}
          options={(saved.data ?? []).map((s) => ({
            value: s.id,
            label: (
              <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                <span>{s.name}</span>
                <Popconfirm title={t('doc.search.deleteConfirm')} okText={t('common.yes')} cancelText={t('common.no')}
                  onConfirm={(e) => { e?.stopPropagation(); remove.mutate(s.id); }}
                  onCancel={(e) => e?.stopPropagation()}>
                  <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={`${t('common.delete')} ${s.name}`}
                    onClick={(e) => e.stopPropagation()} />
                </Popconfirm>
              </Space>
            ),
          }))}
        />
        <Button icon={<SaveOutlined />} onClick={() => setNaming(true)}>{t('doc.search.save')}</Button>
      </Space>
      {more && (
        <Form layout="inline" name="doc-filters" style={{ marginTop: 12, rowGap: 8 }}>
          <Form.Item label={t('doc.type')} htmlFor="doc-filter-type">
            <Select id="doc-filter-type" allowClear showSearch={{ optionFilterProp: 'label' }} style={{ width: 200 }}
              value={filters.typeCode} onChange={(v) => onChange({ typeCode: v })}
              options={types.map((x) => ({ value: x.code, label: x.name }))} />
          </Form.Item>
          <Form.Item label={t('doc.search.dateRange')} htmlFor="doc-filter-range">
            <DatePicker.RangePicker id={{ start: 'doc-filter-range' }} format="DD/MM/YYYY" value={range as never}
              onChange={(v) => onChange({ from: v?.[0]?.format('YYYY-MM-DD'), to: v?.[1]?.format('YYYY-MM-DD') })} />
          </Form.Item>
          <Form.Item label={t('doc.urgency')} htmlFor="doc-filter-urgency">
            <Select id="doc-filter-urgency" allowClear style={{ width: 150 }} value={filters.urgency}
              onChange={(v) => onChange({ urgency: v })} options={urgencyOptions(t)} />
          </Form.Item>
          <Form.Item label={t('common.status')} htmlFor="doc-filter-status">
            <Select id="doc-filter-status" allowClear style={{ width: 170 }} value={filters.status}
              onChange={(v) => onChange({ status: v })} options={statusOptions(t, statuses)} />
          </Form.Item>
          <Form.Item>
            <Checkbox checked={filters.overdue === 'true'} onChange={(e) => onChange({ overdue: e.target.checked ? 'true' : undefined })}>
              {t('doc.search.overdueOnly')}
            </Checkbox>
          </Form.Item>
          <Form.Item>
            <Button onClick={() => onReplace({})}>{t('audit.reset')}</Button>
          </Form.Item>
        </Form>
      )}
      <Modal open={naming} title={t('doc.search.save')} onCancel={() => setNaming(false)} okText={t('common.save')}
        cancelText={t('common.cancel')} okButtonProps={{ disabled: !name.trim(), loading: save.isPending }}
        onOk={() => save.mutate()} destroyOnHidden>
        <Form layout="vertical" name="save-search">
          <Form.Item label={t('doc.search.name')} htmlFor="save-search-name">
            <Input id="save-search-name" value={name} maxLength={100} onChange={(e) => setName(e.target.value)}
              onPressEnter={() => name.trim() && save.mutate()} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
