import { FileExcelOutlined, FilePdfOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Form, Segmented, Select, Space, Table, Tabs, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type RegisterQuery, type Statistics, documentsApi, exportUrls } from '../api/documents';
import { useRegisterBooks } from '../api/documentQueries';
import { formatDate } from '../components/format';
import { UnitTreeSelect } from '../components/UnitTreeSelect';
import { type MessageKey, type Translate, useT } from '../i18n';

type Direction = 'incoming' | 'outgoing';
type Period = [Dayjs, Dayjs];
type Row = Record<string, unknown> & { documentId: string };

const DATES = new Set(['arrivalDate', 'documentDate', 'transferDate']);
/** Decree 30's columns of the register books, in order ("Ký nhận" stays blank for the paper copy). */
const COLUMNS: Record<Direction, string[]> = {
  incoming: ['arrivalDate', 'arrivalNumber', 'author', 'numberSymbol', 'documentDate', 'typeAndSubject', 'recipient', 'transferDate', 'signature', 'note'],
  outgoing: ['numberSymbol', 'documentDate', 'typeAndSubject', 'signer', 'recipients', 'archive', 'copies', 'transferDate', 'signature', 'note'],
};

function registerColumns(t: Translate, direction: Direction): ColumnsType<Row> {
  return COLUMNS[direction].map((key) => ({
    key,
    dataIndex: key,
    title: t(`report.col.${key}` as MessageKey),
    width: key === 'typeAndSubject' ? 320 : undefined,
    render: (v: unknown, r: Row) => {
      if (key === 'typeAndSubject') return <Link to={`/van-ban/${r.documentId}`}>{String(v ?? '')}</Link>;
      if (DATES.has(key)) return formatDate(v as string | null);
      return v == null ? '' : String(v);
    },
  }));
}

const periodOf = (p: Period) => ({ from: p[0].format('YYYY-MM-DD'), to: p[1].format('YYYY-MM-DD') });
const thisMonth = (): Period => [dayjs().startOf('month'), dayjs().endOf('month')];

function PeriodPicker({ id, value, onChange }: { id: string; value: Period; onChange: (p: Period) => void }) {
  return (
    <DatePicker.RangePicker id={{ start: id }} format="DD/MM/YYYY" allowClear={false} value={value}
      onChange={(v) => v?.[0] && v[1] && onChange([v[0], v[1]])} />
  );
}

function RegisterBooks() {
  const t = useT();
  const [direction, setDirection] = useState<Direction>('incoming');
  const [period, setPeriod] = useState<Period>(thisMonth);
  const [bookId, setBookId] = useState<string>();
  const [shown, setShown] = useState<(RegisterQuery & { direction: Direction }) | null>(null);
  const { data: books = [] } = useRegisterBooks(direction);
  const preview = useQuery({
    queryKey: ['registers', shown],
    queryFn: () => documentsApi.register(shown!.direction, shown!),
    enabled: !!shown,
    placeholderData: keepPreviousData,
  });
  const q: RegisterQuery = { ...periodOf(period), bookId };
  const book = preview.data;
  return (
    <>
      <Form layout="inline" name="register-filter" style={{ rowGap: 8, marginBottom: 16 }}>
        <Form.Item>
          <Segmented<Direction> aria-label={t('report.direction')} value={direction}
            onChange={(v) => { setDirection(v); setBookId(undefined); setShown(null); }}
            options={[{ value: 'incoming', label: t('report.incomingBook') }, { value: 'outgoing', label: t('report.outgoingBook') }]} />
        </Form.Item>
        <Form.Item label={t('report.period')} htmlFor="register-period">
          <PeriodPicker id="register-period" value={period} onChange={setPeriod} />
        </Form.Item>
        <Form.Item label={t('doc.book')} htmlFor="register-book">
          <Select id="register-book" allowClear style={{ width: 240 }} value={bookId} onChange={setBookId} placeholder={t('report.allBooks')}
            options={books.map((b) => ({ value: b.id, label: `${b.name} · ${b.unitName}` }))} />
        </Form.Item>
        <Space wrap>
          <Button type="primary" icon={<SearchOutlined />} onClick={() => setShown({ direction, ...q, page: 1, pageSize: 50 })}>{t('report.preview')}</Button>
          <Button icon={<FileExcelOutlined />} href={exportUrls.register(direction, q, 'xlsx')}>{t('report.xlsx')}</Button>
          <Button icon={<FilePdfOutlined />} href={exportUrls.register(direction, q, 'pdf')} target="_blank" rel="noreferrer">{t('report.pdf')}</Button>
        </Space>
      </Form>
      {preview.error && <Alert type="error" showIcon title={preview.error.message} />}
      {shown && (
        <>
          {book && (
            <Typography.Paragraph type="secondary">
              {book.unit.name}{book.book ? ` · ${book.book.name}` : ''} · {formatDate(book.from)} – {formatDate(book.to)}
            </Typography.Paragraph>
          )}
          <Table<Row> rowKey="documentId" size="small" bordered loading={preview.isFetching}
            dataSource={(book?.entries ?? []) as unknown as Row[]} columns={registerColumns(t, shown.direction)} scroll={{ x: 1200 }}
            pagination={{
              current: shown.page, pageSize: shown.pageSize, total: book?.total ?? 0, showSizeChanger: true,
              showTotal: (n) => t('common.total', { n }),
              onChange: (page, pageSize) => setShown({ ...shown, page, pageSize }),
            }} />
        </>
      )}
    </>
  );
}

type StatRow = Statistics['byUnit'][number] | Statistics['byPerson'][number];

function statColumns(t: Translate, first: 'unitName' | 'fullName'): ColumnsType<StatRow> {
  const num = (key: 'received' | 'onTime' | 'late' | 'open' | 'overdue') =>
    ({ key, dataIndex: key, title: t(`report.col.${key}`), align: 'end' as const, width: 120 });
  return [
    { key: first, dataIndex: first, title: t(first === 'unitName' ? 'home.unit' : 'official.fullName') },
    num('received'), num('onTime'), num('late'), num('open'), num('overdue'),
  ];
}

function StatisticsTab() {
  const t = useT();
  const [period, setPeriod] = useState<Period>(thisMonth);
  const [unitId, setUnitId] = useState<string>();
  const [shown, setShown] = useState<{ from: string; to: string; unitId?: string } | null>(null);
  const stats = useQuery({ queryKey: ['statistics', shown], queryFn: () => documentsApi.statistics(shown!), enabled: !!shown });
  const q = { ...periodOf(period), unitId };
  const s = stats.data;
  const totals = (rows: readonly StatRow[]) => s && rows.length > 1 && (
    <Table.Summary.Row>
      <Table.Summary.Cell index={0}><strong>{t('report.total')}</strong></Table.Summary.Cell>
      {(['received', 'onTime', 'late', 'open', 'overdue'] as const).map((k, i) => (
        <Table.Summary.Cell key={k} index={i + 1} align="end"><strong>{s.totals[k]}</strong></Table.Summary.Cell>
      ))}
    </Table.Summary.Row>
  );
  return (
    <>
      <Form layout="inline" name="statistics-filter" style={{ rowGap: 8, marginBottom: 16 }}>
        <Form.Item label={t('report.period')} htmlFor="statistics-period">
          <PeriodPicker id="statistics-period" value={period} onChange={setPeriod} />
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
          {s && (
            <Typography.Paragraph type="secondary">
              {s.unit?.name ?? t('report.personal')} · {formatDate(s.from)} – {formatDate(s.to)} · {t('report.asOf', { date: formatDate(s.asOf) })}
            </Typography.Paragraph>
          )}
          <Typography.Title level={5}>{t('report.byUnit')}</Typography.Title>
          <Table<StatRow> rowKey={(r) => ('unitId' in r ? r.unitId : r.userId)} size="small" bordered loading={stats.isFetching}
            dataSource={s?.byUnit ?? []} pagination={false} scroll={{ x: 720 }} columns={statColumns(t, 'unitName')} summary={totals} />
          <Typography.Title level={5} style={{ marginTop: 24 }}>{t('report.byPerson')}</Typography.Title>
          <Table<StatRow> rowKey={(r) => ('unitId' in r ? r.unitId : r.userId)} size="small" bordered loading={stats.isFetching}
            dataSource={s?.byPerson ?? []} pagination={{ pageSize: 50, hideOnSinglePage: true }} scroll={{ x: 720 }}
            columns={statColumns(t, 'fullName')} />
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
        { key: 'stats', label: t('report.statistics'), children: <StatisticsTab /> },
      ]} />
    </>
  );
}
