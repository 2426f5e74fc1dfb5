import { FileExcelOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, DatePicker, Form, Progress, Row, Segmented, Space, Statistic, Table, Typography } from 'antd';
import type { ColumnsType, ColumnType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type DossierStatistics, type Figures, type Grouping, type OfficerRow, statisticsApi } from '../api/statistics';
import { formatDate, formatTime } from '../components/format';
import { UnitTreeSelect } from '../components/UnitTreeSelect';
import { type MessageKey, type Translate, useI18n } from '../i18n';

type Period = [Dayjs, Dayjs];
type FigureRow = Figures & { key: string; name: string; code?: string };
type Percent = (x: number | null) => string;

const thisMonth = (): Period => [dayjs().startOf('month'), dayjs().endOf('month')];

function figureColumns(t: Translate, pct: Percent, grouping: 'unit' | 'procedure'): ColumnsType<FigureRow> {
  const num = (key: keyof Figures, title: MessageKey = `stats.col.${key}` as MessageKey): ColumnType<FigureRow> => ({ key, dataIndex: key, title: t(title), align: 'end', width: 84 });
  const rate = (key: 'onTimeRate' | 'onlineRate'): ColumnType<FigureRow> => ({ key, dataIndex: key, title: t(`stats.col.${key}`), align: 'end', width: 96, render: (v: number | null) => pct(v) });
  return [
    {
      key: 'name', dataIndex: 'name', title: t(`stats.col.name.${grouping}`), fixed: 'left', width: 240,
      render: (v: string, r) => (r.code ? <span><Typography.Text type="secondary">{r.code}</Typography.Text> {v}</span> : v),
    },
    {
      key: 'received', title: t('stats.col.received'),
      children: [num('carriedOver'), num('received', 'stats.col.receivedInPeriod'), num('receivedCounter'), num('receivedOnline'), num('receivedPost')],
    },
    { key: 'doneGroup', title: t('stats.col.doneGroup'), children: [num('done'), num('doneEarly'), num('doneOnTime'), num('doneLate')] },
    { key: 'inProcessGroup', title: t('stats.col.inProcessGroup'), children: [num('inProcess'), num('inProcessOverdue')] },
    { key: 'exceptions', title: t('stats.col.exceptions'), children: [num('supplementRequested'), num('refused'), num('withdrawn'), num('stopped'), num('notAccepted')] },
    rate('onTimeRate'),
    rate('onlineRate'),
  ];
}

/** The leaf columns' keys in display order (for the totals row). */
const LEAVES: (keyof Figures)[] = [
  'carriedOver', 'received', 'receivedCounter', 'receivedOnline', 'receivedPost', 'done', 'doneEarly', 'doneOnTime', 'doneLate',
  'inProcess', 'inProcessOverdue', 'supplementRequested', 'refused', 'withdrawn', 'stopped', 'notAccepted', 'onTimeRate', 'onlineRate',
];

function officerColumns(t: Translate, pct: Percent): ColumnsType<OfficerRow> {
  const num = (key: keyof OfficerRow, title: MessageKey): ColumnType<OfficerRow> => ({ key, dataIndex: key, title: t(title), align: 'end', width: 110 });
  return [
    { key: 'fullName', dataIndex: 'fullName', title: t('stats.col.officer') },
    { key: 'unitName', dataIndex: 'unitName', title: t('stats.col.officerUnit') },
    num('received', 'stats.col.officerReceived'),
    num('steps', 'stats.col.steps'),
    num('stepsEarly', 'stats.col.stepsEarly'),
    num('stepsOnTime', 'stats.col.stepsOnTime'),
    num('stepsLate', 'stats.col.stepsLate'),
    { key: 'onTimeRate', dataIndex: 'onTimeRate', title: t('stats.col.onTimeRate'), align: 'end', width: 110, render: (v: number | null) => pct(v) },
  ];
}

function rowsOf(s: DossierStatistics): FigureRow[] {
  if (s.groupBy === 'procedure') return s.byProcedure.map((p) => ({ ...p, key: p.procedureId, name: p.procedureName, code: p.procedureCode }));
  return s.byUnit.map((u) => ({ ...u, key: u.unitId, name: u.unitName }));
}

function Cards({ s, pct }: { s: DossierStatistics; pct: Percent }) {
  const { t } = useI18n();
  const tot = s.totals;
  const share = (x: number | null) => (x === null ? 0 : Math.round(x * 1000) / 10);
  const sat = s.satisfaction.overall;
  return (
    <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
      <Col xs={12} lg={5}><Card size="small"><Statistic title={t('stats.card.received')} value={tot.received} /><Typography.Text type="secondary">{t('stats.card.receivedHelp', { n: tot.carriedOver })}</Typography.Text></Card></Col>
      <Col xs={12} lg={5}><Card size="small"><Statistic title={t('stats.card.done')} value={tot.done} /><Typography.Text type="secondary">{t('stats.card.doneHelp', { n: tot.inProcess, overdue: tot.inProcessOverdue })}</Typography.Text></Card></Col>
      <Col xs={12} lg={5}><Card size="small"><Statistic title={t('stats.card.onTime')} value={pct(tot.onTimeRate)} /><Progress percent={share(tot.onTimeRate)} showInfo={false} size="small" status={tot.onTimeRate !== null && tot.onTimeRate < 0.9 ? 'exception' : 'normal'} /></Card></Col>
      <Col xs={12} lg={5}><Card size="small"><Statistic title={t('stats.card.online')} value={pct(tot.onlineRate)} /><Progress percent={share(tot.onlineRate)} showInfo={false} size="small" /></Card></Col>
      <Col xs={24} lg={4}><Card size="small"><Statistic title={t('stats.card.satisfaction')} value={pct(sat.satisfiedShare)} /><Typography.Text type="secondary">{t('stats.card.satisfactionHelp', { n: sat.ratings })}</Typography.Text></Card></Col>
    </Row>
  );
}

/** Thống kê một cửa: figures of the dossiers a unit received in a period, by unit, procedure or officer; .xlsx export. */
export function OnestopStatisticsPage() {
  const { t, lang } = useI18n();
  const [period, setPeriod] = useState<Period>(thisMonth);
  const [unitId, setUnitId] = useState<string>();
  const [groupBy, setGroupBy] = useState<Grouping>('unit');
  const q = { from: period[0].format('YYYY-MM-DD'), to: period[1].format('YYYY-MM-DD'), unitId, groupBy };
  const stats = useQuery({ queryKey: ['dossier-statistics', q], queryFn: () => statisticsApi.get(q), placeholderData: keepPreviousData });
  const pct = useMemo<Percent>(() => {
    const f = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { style: 'percent', maximumFractionDigits: 1 });
    return (x) => (x === null ? t('stats.none') : f.format(x));
  }, [lang, t]);
  const s = stats.data;
  const shownGroup = s?.groupBy ?? groupBy;
  const totals = () => s && (
    <Table.Summary fixed="bottom">
      <Table.Summary.Row>
        <Table.Summary.Cell index={0}><strong>{t('stats.total')}</strong></Table.Summary.Cell>
        {LEAVES.map((k, i) => (
          <Table.Summary.Cell key={k} index={i + 1} align="end">
            <strong>{k === 'onTimeRate' || k === 'onlineRate' ? pct(s.totals[k]) : s.totals[k]}</strong>
          </Table.Summary.Cell>
        ))}
      </Table.Summary.Row>
    </Table.Summary>
  );
  return (
    <>
      <Typography.Title level={2}>{t('stats.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('stats.help')}</Typography.Paragraph>
      <Form layout="inline" name="dossier-statistics" style={{ rowGap: 8, marginBottom: 16 }}>
        <Form.Item label={t('stats.period')} htmlFor="stats-period">
          <DatePicker.RangePicker id={{ start: 'stats-period' }} format="DD/MM/YYYY" allowClear={false} value={period}
            onChange={(v) => v?.[0] && v[1] && setPeriod([v[0], v[1]])} />
        </Form.Item>
        <Form.Item label={t('stats.unit')}>
          <UnitTreeSelect value={unitId} onChange={setUnitId} allowClear placeholder={t('stats.unitDefault')} aria-label={t('stats.unit')} style={{ width: 280 }} />
        </Form.Item>
        <Form.Item label={t('stats.groupBy')}>
          <Segmented<Grouping> value={groupBy} onChange={setGroupBy}
            options={(['unit', 'procedure', 'officer'] as const).map((g) => ({ value: g, label: t(`stats.group.${g}`) }))} />
        </Form.Item>
        <Space wrap>
          <Button icon={<FileExcelOutlined />} href={statisticsApi.xlsxUrl(q)}>{t('stats.export')}</Button>
        </Space>
      </Form>
      {stats.error && <Alert type="error" showIcon title={stats.error.message} style={{ marginBottom: 16 }} />}
      {s && (
        <>
          <Typography.Paragraph type="secondary">
            {t('stats.asOf', { unit: s.unit.name, from: formatDate(s.from), to: formatDate(s.to), time: formatTime(s.asOf), date: formatDate(s.asOf) })}
          </Typography.Paragraph>
          <Cards s={s} pct={pct} />
        </>
      )}
      {shownGroup === 'officer' ? (
        <Table<OfficerRow> rowKey="userId" size="small" bordered loading={stats.isFetching} dataSource={s?.byOfficer ?? []}
          columns={officerColumns(t, pct)} pagination={{ pageSize: 50, hideOnSinglePage: true }} scroll={{ x: 900 }} />
      ) : (
        <Table<FigureRow> rowKey="key" size="small" bordered loading={stats.isFetching} dataSource={s ? rowsOf(s) : []}
          columns={figureColumns(t, pct, shownGroup)} pagination={false} scroll={{ x: 1900 }} summary={totals} />
      )}
    </>
  );
}
