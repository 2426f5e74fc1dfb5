import { Card, Col, Row, Space, Tag, theme } from 'antd';
import type { SpecialDay } from '../../api/calendar';
import { useT } from '../../i18n';

type Kind = SpecialDay['kind'] | 'weekend';

/** Colours of the kinds of day, shared by the grid, the legend and the table. */
export const KIND_COLOR: Record<Kind, string> = {
  holiday: 'red',
  compensation: 'orange',
  'day-off': 'volcano',
  'working-day': 'green',
  weekend: 'default',
};

const pad = (n: number) => String(n).padStart(2, '0');

/** Twelve small months with the year's special days coloured (hover shows the name). */
export function YearGrid({ year, days }: { year: number; days: SpecialDay[] }) {
  const t = useT();
  const { token } = theme.useToken();
  const byDate = new Map(days.map((d) => [d.date, d]));
  const weekdays = t('calendar.weekdays').split(',');
  const background: Record<Kind, string> = {
    holiday: token.colorErrorBg,
    compensation: token.colorWarningBg,
    'day-off': token['volcano-2'] ?? token.colorWarningBgHover,
    'working-day': token.colorSuccessBg,
    weekend: token.colorFillTertiary,
  };
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }} aria-label="legend">
        <Tag color={KIND_COLOR.holiday}>{t('calendar.legend.holiday')}</Tag>
        <Tag color={KIND_COLOR.compensation}>{t('calendar.legend.compensation')}</Tag>
        <Tag color={KIND_COLOR['day-off']}>{t('calendar.legend.dayOff')}</Tag>
        <Tag color={KIND_COLOR['working-day']}>{t('calendar.legend.workingDay')}</Tag>
        <Tag>{t('calendar.legend.weekend')}</Tag>
      </Space>
      <Row gutter={[12, 12]}>
        {Array.from({ length: 12 }, (_, m) => {
          const first = new Date(Date.UTC(year, m, 1));
          const length = new Date(Date.UTC(year, m + 1, 0)).getUTCDate();
          const lead = (first.getUTCDay() + 6) % 7; // Monday first
          const cells: (number | null)[] = [...Array<null>(lead).fill(null), ...Array.from({ length }, (_, i) => i + 1)];
          while (cells.length % 7) cells.push(null);
          return (
            <Col key={m} xs={24} sm={12} md={8} xl={6}>
              <Card size="small" title={t('calendar.month', { m: m + 1 })} data-testid={`month-${m + 1}`}>
                <table style={{ width: '100%', borderCollapse: 'collapse', textAlign: 'center', fontSize: 12 }}>
                  <thead>
                    <tr>{weekdays.map((w) => <th key={w} style={{ fontWeight: 500, color: token.colorTextSecondary }}>{w}</th>)}</tr>
                  </thead>
                  <tbody>
                    {Array.from({ length: cells.length / 7 }, (_, r) => (
                      <tr key={r}>
                        {cells.slice(r * 7, r * 7 + 7).map((d, c) => {
                          if (d === null) return <td key={c} />;
                          const date = `${year}-${pad(m + 1)}-${pad(d)}`;
                          const special = byDate.get(date);
                          const kind: Kind | null = special?.kind ?? (c >= 5 ? 'weekend' : null);
                          return (
                            <td
                              key={c}
                              title={special ? `${pad(d)}/${pad(m + 1)}/${year}: ${special.name}` : undefined}
                              data-date={date}
                              data-kind={kind ?? 'working'}
                              style={{ padding: 2, borderRadius: 4, background: kind ? background[kind] : undefined, fontWeight: special ? 600 : 400 }}
                            >
                              {d}
                            </td>
                          );
                        })}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </Card>
            </Col>
          );
        })}
      </Row>
    </>
  );
}
