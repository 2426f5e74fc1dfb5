import { Button, Card, DatePicker, Empty, Form, Input, Popconfirm, Select, Space, Table, Tag, Typography, App } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Adjustment, calendarApi, calendarKeys } from '../../api/calendar';
import { formatDate } from '../format';
import { useT } from '../../i18n';
import { KIND_COLOR } from './YearGrid';

type Values = { date: Dayjs | null; kind: Adjustment['kind']; name: string; legalBasis?: string };

/** The year's adjustments that apply to the chosen unit (or the national ones), with add and remove. */
export function AdjustmentsCard({ year, unitId, canEdit, canEditNational }: { year: number; unitId: string | null; canEdit: boolean; canEditNational: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const list = useQuery({ queryKey: calendarKeys.adjustments(year, unitId), queryFn: () => calendarApi.adjustments(year, unitId) });
  const refresh = () => qc.invalidateQueries({ queryKey: calendarKeys.all });
  const add = useMutation({
    mutationFn: (v: Values) => calendarApi.addAdjustment({ unitId, date: v.date!.format('YYYY-MM-DD'), kind: v.kind, name: v.name, legalBasis: v.legalBasis?.trim() || null }),
    onSuccess: () => {
      form.resetFields();
      message.success(t('calendar.added'));
      void refresh();
    },
    onError: (e) => message.error(e.message),
  });
  const remove = useMutation({
    mutationFn: (id: string) => calendarApi.removeAdjustment(id),
    onSuccess: () => {
      message.success(t('calendar.removed'));
      void refresh();
    },
    onError: (e) => message.error(e.message),
  });
  const mayRemove = (a: Adjustment) => (a.unitId === null ? canEditNational : canEdit && a.unitId === unitId);

  return (
    <Card title={t('calendar.adjustments', { year })} style={{ marginTop: 16 }}>
      <Typography.Paragraph type="secondary">{t('calendar.adjustmentsHelp')}</Typography.Paragraph>
      {canEdit && (
        <Form<Values> form={form} name="adjustment" layout="inline" initialValues={{ kind: 'day-off' }} onFinish={(v) => add.mutate(v)} style={{ marginBottom: 16, rowGap: 8 }}>
          <Form.Item name="date" label={t('calendar.date')} rules={[{ required: true, message: t('common.required') }]}>
            <DatePicker format="DD/MM/YYYY" />
          </Form.Item>
          <Form.Item name="kind" label={t('calendar.kind')}>
            <Select style={{ width: 190 }} options={(['day-off', 'working-day'] as const).map((k) => ({ value: k, label: t(`calendar.kind.${k}`) }))} />
          </Form.Item>
          <Form.Item name="name" label={t('calendar.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
            <Input style={{ width: 260 }} maxLength={300} />
          </Form.Item>
          <Form.Item name="legalBasis" label={t('calendar.legalBasis')}>
            <Input style={{ width: 260 }} maxLength={500} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={add.isPending}>{t('calendar.add')}</Button>
        </Form>
      )}
      <Table<Adjustment>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description={t('calendar.noAdjustments')} /> }}
        columns={[
          { title: t('calendar.date'), dataIndex: 'date', render: (d: string) => formatDate(d), width: 110 },
          { title: t('calendar.kind'), dataIndex: 'kind', render: (k: Adjustment['kind']) => <Tag color={KIND_COLOR[k]}>{t(`calendar.kind.${k}`)}</Tag>, width: 170 },
          { title: t('calendar.name'), dataIndex: 'name' },
          { title: t('calendar.scope'), dataIndex: 'unitName', render: (n: string | null) => n ?? t('calendar.scopeNational') },
          { title: t('calendar.legalBasis'), dataIndex: 'legalBasis' },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            render: (_, a) =>
              mayRemove(a) && (
                <Space>
                  <Popconfirm title={t('calendar.removeConfirm', { date: formatDate(a.date) })} onConfirm={() => remove.mutate(a.id)}>
                    <Button size="small" danger>{t('common.delete')}</Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
    </Card>
  );
}
