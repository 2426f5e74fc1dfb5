import { App, Alert, Button, Card, Form, Space, Spin, Switch, TimePicker, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type OfficeHours, calendarApi, calendarKeys } from '../../api/calendar';
import { useT } from '../../i18n';

const FMT = 'HH:mm';
type Values = { sessions: [Dayjs, Dayjs][]; saturdayMorning: boolean; sameDayCutoff: Dayjs };

const minutes = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
const hoursPerDay = (h: Pick<OfficeHours, 'sessions'>) => h.sessions.reduce((sum, s) => sum + minutes(s.end) - minutes(s.start), 0) / 60;

/** A unit's office hours: its own or inherited, editable by its administrators. */
export function OfficeHoursCard({ unitId, canEdit }: { unitId: string; canEdit: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const hours = useQuery({ queryKey: calendarKeys.officeHours(unitId), queryFn: () => calendarApi.officeHours(unitId), retry: false });
  useEffect(() => {
    const h = hours.data;
    if (h) form.setFieldsValue({ sessions: h.sessions.map((s) => [dayjs(s.start, FMT), dayjs(s.end, FMT)]), saturdayMorning: h.saturdayMorning, sameDayCutoff: dayjs(h.sameDayCutoff, FMT) });
  }, [hours.data, form]);
  const done = (data: OfficeHours) => {
    qc.setQueryData(calendarKeys.officeHours(unitId), data);
    void qc.invalidateQueries({ queryKey: calendarKeys.all });
    message.success(t('common.saved'));
  };
  const save = useMutation({
    mutationFn: (v: Values) =>
      calendarApi.saveOfficeHours(unitId, { sessions: v.sessions.map(([a, b]) => ({ start: a.format(FMT), end: b.format(FMT) })), saturdayMorning: v.saturdayMorning, sameDayCutoff: v.sameDayCutoff.format(FMT) }),
    onSuccess: done,
    onError: (e) => message.error(e.message),
  });
  const clear = useMutation({ mutationFn: () => calendarApi.clearOfficeHours(unitId), onSuccess: done, onError: (e) => message.error(e.message) });
  const h = hours.data;

  return (
    <Card title={t('calendar.hours')} style={{ marginTop: 16, maxWidth: 720 }}>
      <Typography.Paragraph type="secondary">{t('calendar.hoursHelp')}</Typography.Paragraph>
      {hours.isLoading ? <Spin /> : hours.error ? <Alert type="error" showIcon title={hours.error.message} /> : h && (
        <>
          <Typography.Paragraph data-testid="hours-origin">
            <strong>{h.own ? t('calendar.hoursOwn') : h.inheritedFromName ? t('calendar.hoursInherited', { unit: h.inheritedFromName }) : t('calendar.hoursDefault')}</strong>
            {' · '}
            {t('calendar.perDay', { h: hoursPerDay(h) })}
          </Typography.Paragraph>
          <Form<Values> form={form} name="office-hours" layout="vertical" disabled={!canEdit} onFinish={(v) => save.mutate(v)}>
            <Form.List name="sessions">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f, i) => (
                    <Space key={f.key} align="baseline">
                      <Form.Item {...f} label={t('calendar.session', { n: i + 1 })} rules={[{ required: true, message: t('common.required') }]}>
                        <TimePicker.RangePicker format={FMT} minuteStep={5} needConfirm={false} order />
                      </Form.Item>
                      {fields.length > 1 && <MinusCircleOutlined aria-label={t('common.delete')} onClick={() => remove(f.name)} />}
                    </Space>
                  ))}
                  {fields.length < 4 && (
                    <Form.Item>
                      <Button icon={<PlusOutlined />} onClick={() => add()}>{t('calendar.addSession')}</Button>
                    </Form.Item>
                  )}
                </>
              )}
            </Form.List>
            <Form.Item name="saturdayMorning" label={t('calendar.saturdayMorning')} extra={t('calendar.saturdayMorningHelp')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="sameDayCutoff" label={t('calendar.cutoff')} extra={t('calendar.cutoffHelp')} rules={[{ required: true, message: t('common.required') }]}>
              <TimePicker format={FMT} minuteStep={5} needConfirm={false} />
            </Form.Item>
            {canEdit && (
              <Space>
                <Button type="primary" htmlType="submit" loading={save.isPending}>{t('common.save')}</Button>
                {h.own && <Button onClick={() => clear.mutate()} loading={clear.isPending}>{t('calendar.useInherited')}</Button>}
              </Space>
            )}
          </Form>
        </>
      )}
    </Card>
  );
}
