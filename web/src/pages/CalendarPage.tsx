import { Alert, Card, Col, Form, InputNumber, Row, Spin, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { type SpecialDay, calendarApi, calendarKeys } from '../api/calendar';
import { isAdmin, useMe } from '../api/queries';
import type { Me } from '../api/types';
import { AdjustmentsCard } from '../components/calendar/AdjustmentsCard';
import { OfficeHoursCard } from '../components/calendar/OfficeHoursCard';
import { KIND_COLOR, YearGrid } from '../components/calendar/YearGrid';
import { formatDate } from '../components/format';
import { UnitTreeSelect } from '../components/UnitTreeSelect';
import { useT } from '../i18n';

/** Where a unit administrator starts: the unit they administer (the system administrator: the common calendar). */
function defaultUnit(me: Me | undefined): string | null {
  if (!me || isAdmin(me)) return null;
  return me.roles.find((r) => r.role === 'unit_admin')?.unitId ?? null;
}

const WEEKDAY_VI = ['CN', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7'];

/**
 * Lịch làm việc: the year's holidays (computed from the rules, moved off weekends), the adjustments
 * administrators keep (extra days off, make-up working days) and office hours per unit.
 */
export function CalendarPage() {
  const t = useT();
  const { data: me } = useMe();
  const [year, setYear] = useState(() => new Date().getFullYear());
  const [picked, setPicked] = useState<string | null | undefined>(undefined);
  const unitId = picked === undefined ? defaultUnit(me) : picked;
  const view = useQuery({ queryKey: calendarKeys.year(year, unitId), queryFn: () => calendarApi.year(year, unitId) });
  const admin = isAdmin(me);
  // The server decides (unit.manage over the unit); the page only hides what would be refused.
  const canEditUnit = admin || !!me?.roles.some((r) => r.role === 'unit_admin');

  return (
    <>
      <Typography.Title level={2}>{t('calendar.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('calendar.help')}</Typography.Paragraph>
      <Form layout="inline" name="calendar-filter" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label={t('calendar.year')}>
          <InputNumber min={1901} max={2198} value={year} onChange={(v) => v && setYear(v)} aria-label={t('calendar.year')} />
        </Form.Item>
        <Form.Item label={t('calendar.unit')} style={{ minWidth: 360 }}>
          <UnitTreeSelect value={unitId} onChange={(v) => setPicked(v ?? null)} allowClear placeholder={t('calendar.unitAll')} aria-label={t('calendar.unit')} />
        </Form.Item>
      </Form>
      <Card>
        {view.isLoading ? <Spin /> : view.error ? <Alert type="error" showIcon title={view.error.message} /> : view.data && (
          <>
            <YearGrid year={year} days={view.data.days} />
            <Row style={{ marginTop: 16 }}>
              <Col span={24}>
                <Typography.Title level={4}>{t('calendar.days', { year })}</Typography.Title>
                <Table<SpecialDay>
                  rowKey="date"
                  size="small"
                  pagination={false}
                  dataSource={view.data.days}
                  columns={[
                    { title: t('calendar.date'), dataIndex: 'date', render: (d: string) => formatDate(d), width: 110 },
                    { title: t('calendar.weekday'), dataIndex: 'date', key: 'weekday', width: 60, render: (d: string) => WEEKDAY_VI[new Date(`${d}T00:00:00Z`).getUTCDay()] },
                    { title: t('calendar.name'), dataIndex: 'name' },
                    { title: t('calendar.kind'), dataIndex: 'kind', width: 170, render: (k: SpecialDay['kind']) => <Tag color={KIND_COLOR[k]}>{t(`calendar.kind.${k}`)}</Tag> },
                    { title: t('calendar.lunar'), dataIndex: 'lunar', width: 120, render: (l: SpecialDay['lunar']) => t('calendar.lunarValue', { d: l.day, m: l.month, leap: l.leap ? t('calendar.leap') : '' }) },
                  ]}
                />
                <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>{t('calendar.source', { source: view.data.source })}</Typography.Paragraph>
              </Col>
            </Row>
          </>
        )}
      </Card>
      <AdjustmentsCard year={year} unitId={unitId} canEdit={unitId ? canEditUnit : admin} canEditNational={admin} />
      {unitId ? <OfficeHoursCard unitId={unitId} canEdit={canEditUnit} /> : <Alert style={{ marginTop: 16, maxWidth: 720 }} type="info" showIcon title={t('calendar.pickUnitForHours')} />}
    </>
  );
}
