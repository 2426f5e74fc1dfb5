import { FileExcelOutlined, FilePdfOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Form, Segmented, Select, Space, Table, Tabs, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { documentsApi, exportUrls } from '../api/documents';
import { useRegisterBooks } from '../api/documentQueries';
import { keyedLabel } from '../components/documents/labels';
import { formatDate } from '../components/format';
import { UnitTreeSelect } from '../components/UnitTreeSelect';
import { useT, type Translate } from '../i18n';

type Period = [Dayjs, Dayjs];
type Row = Record<string, unknown>;

const DAY = /^\d{4}-\d{2}-\d{2}(T.*)?$/;
const show = (v: unknown): string => {
  if (v == null) return '';
  if (typeof v === 'string' && DAY.test(v)) return formatDate(v);
  if (Array.isArray(v)) return v.map(show).join('; ');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};

/** Columns of a server table: the ones it names, or the keys of its rows with the web app's labels. */
function columnsOf(t: Translate, rows: Row[], named?: { key: string; header: string }[]) {
  const list = named ?? Object.keys(rows[0] ?? {}).filter((k) => k !== 'id' && !k.endsWith('Id')).map((k) => ({ key: k, header: keyedLabel(t, 'report.col', k) }));
  return list.map((c) => ({ key: c.key, dataIndex: c.key, title: c.header, render: (v: unknown) => show(v) }));
}

/** The rows of an answer: `rows` or `items`, whichever it has. */
function rowsOf(answer: unknown, ...keys: string[]): Row[] {
  const a = (answer ?? {}) as Record<string, unknown>;
  for (const k of keys) if (Array.isArray(a[k])) return a[k] as Row[];
  return [];
}

const periodOf = (p: Period) => ({ from: p[0].format('YYYY-MM-DD'), to: p[1].format('YYYY-MM-DD') });
const thisMonth = (): Period => [dayjs().startOf('month'), dayjs().endOf('month')];

function RegisterBooks() {
  const t = useT();
  const [direction, setDirection] = useState<'incoming' | 'outgoing'>('incoming');
  const [period, setPeriod] = useState<Period>(thisMonth);
  const [bookId, setBookId] = useState<string>();
  const [shown, setShown] = useState<{ direction: 'incoming' | 'outgoing'; from: string; to: string; bookId?: string } | null>(null);
  const { data: books = [] } = useRegisterBooks(direction);
  const preview = useQuery({
    queryKey: ['registers', shown],
    queryFn: () => documentsApi.register(shown!.direction, shown!),
    enabled: !!shown,
  });
  const q = { ...periodOf(period), bookId };
  const rows = rowsOf(preview.data, 'rows', 'items');
  return (
    <>
      <Form layout="inline" name="register-filter" style={{ rowGap: 8, marginBottom: 16 }}>
        <Form.Item>
          <Segmented<'incoming' | 'outgoing'> aria-label={t('report.direction')} value={direction}
            onChange={(v) => { setDirection(v); setBookId(undefined); setShown(null); }}
            options={[{ value: 'incoming', label: t('report.incomingBook') }, { value: 'outgoing', label: t('report.outgoingBook') }]} />
        </Form.Item>
        <Form.Item label={t('report.period')} htmlFor="register-period">
          <DatePicker.RangePicker id={{ start: 'register-period' }} format="DD/MM/YYYY" allowClear={false} value={period}
            onChange={(v) => v?.[0] && v[1] && setPeriod([v[0], v[1]])} />
        </Form.Item>
        <Form.Item label={t('doc.book')} htmlFor="register-book">
          <Select id="register-book" allowClear style={{ width: 220 }} value={bookId} onChange={setBookId} placeholder={t('report.allBooks')}
            options={books.map((b) => ({ value: b.id, label: b.name }))} />
        </Form.Item>
        <Space wrap>
          <Button type="primary" icon={<SearchOutlined />} onClick={() => setShown({ direction, ...q })}>{t('report.preview')}</Button>
          <Button icon={<FileExcelOutlined />} href={exportUrls.register(direction, q, 'xlsx')}>{t('report.xlsx')}</Button>
          <Button icon={<FilePdfOutlined />} href={exportUrls.register(direction, q, 'pdf')} target="_blank" rel="noreferrer">{t('report.pdf')}</Button>
        </Space>
      </Form>
      {preview.error && <Alert type="error" showIcon title={preview.error.message} />}
      {shown && (
        <Table<Row> rowKey={(_, i) => String(i)} size="small" bordered loading={preview.isFetching} dataSource={rows}
          scroll={{ x: 1100 }} pagination={{ pageSize: 50, showTotal: (n) => t('common.total', { n }) }}
          columns={columnsOf(t, rows, (preview.data as { columns?: { key: string; header: string }[] } | undefined)?.columns)} />
      )}
    </>
  );
}

function Statistics() {
  const t = useT();
  const [period, setPeriod] = useState<Period>(thisMonth);
  const [unitId, setUnitId] = useState<string>();
  const [shown, setShown] = useState<{ from: string; to: string; unitId?: string } | null>(null);
  const stats = useQuery({ queryKey: ['statistics', shown], queryFn: () => documentsApi.statistics(shown!), enabled: !!shown });
  const q = { ...periodOf(period), unitId };
  const units = rowsOf(stats.data, 'units', 'byUnit');
  const people = rowsOf(stats.data, 'people', 'byPerson', 'persons');
  return (
    <>
      <Form layout="inline" name="statistics-filter" style={{ rowGap: 8, marginBottom: 16 }}>
        <Form.Item label={t('report.period')} htmlFor="statistics-period">
          <DatePicker.RangePicker id={{ start: 'statistics-period' }} format="DD/MM/YYYY" allowClear={false} value={period}
            onChange={(v) => v?.[0] && v[1] && setPeriod([v[0], v[1]])} />
        </Form.Item>
        <Form.Item label={t('home.unit')}>
          <UnitTreeSelect value={unitId} onChange={setUnitId} allowClear aria-label={t('home.unit')} style={{ width: 240 }} />
        </Form.Item>
        <Space wrap>
          <Button type="primary" icon={<SearchOutlined />} onClick={() => setShown(q)}>{t('report.preview')}</Button>
          <Button icon={<FileExcelOutlined />} href={exportUrls.statistics(q)}>{t('report.xlsx')}</Button>
        </Space>
      </Form>
      {stats.error && <Alert type="error" showIcon title={stats.error.message} />}
      {shown && (
        <>
          <Typography.Title level={5}>{t('report.byUnit')}</Typography.Title>
          <Table<Row> rowKey={(_, i) => String(i)} size="small" bordered loading={stats.isFetching} dataSource={units}
            pagination={false} scroll={{ x: 720 }} columns={columnsOf(t, units)} />
          <Typography.Title level={5} style={{ marginTop: 24 }}>{t('report.byPerson')}</Typography.Title>
          <Table<Row> rowKey={(_, i) => String(i)} size="small" bordered loading={stats.isFetching} dataSource={people}
            pagination={{ pageSize: 50 }} scroll={{ x: 720 }} columns={columnsOf(t, people)} />
        </>
      )}
    </>
  );
}

/** Sổ đăng ký & thống kê: the incoming/outgoing register books for a period (.xlsx, PDF) and the statistics (.xlsx). */
export function RegistersPage() {
  const t = useT();
  return (
    <>
      <Typography.Title level={2}>{t('nav.registers')}</Typography.Title>
      <Tabs items={[
        { key: 'books', label: t('report.books'), children: <RegisterBooks /> },
        { key: 'stats', label: t('report.statistics'), children: <Statistics /> },
      ]} />
    </>
  );
}
