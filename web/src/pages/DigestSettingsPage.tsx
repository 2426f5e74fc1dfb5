import { Alert, App, Button, Card, Form, InputNumber, Spin, Switch, TimePicker, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type DigestSettings, adminApi, adminKeys } from '../api/admin';
import { useT } from '../i18n';

type Values = { enabled: boolean; time: Dayjs | null; nearDueDays: number | null };

const TIME_FORMAT = 'HH:mm';

/** Nhắc hạn xử lý văn bản: the daily deadline digest mail — on/off, the local time it goes out, how near "near due" is. */
export function DigestSettingsPage() {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const { data, isLoading, error } = useQuery({ queryKey: adminKeys.digest, queryFn: adminApi.digest });
  useEffect(() => {
    if (data) form.setFieldsValue({ enabled: data.enabled, time: dayjs(data.time, TIME_FORMAT), nearDueDays: data.nearDueDays });
  }, [data, form]);
  const save = useMutation({
    mutationFn: (body: DigestSettings) => adminApi.saveDigest(body),
    onSuccess: (saved) => {
      qc.setQueryData(adminKeys.digest, saved);
      message.success(t('common.saved'));
    },
    onError: (e) => message.error(e.message),
  });
  const enabled = Form.useWatch('enabled', form);

  return (
    <>
      <Typography.Title level={2}>{t('digest.title')}</Typography.Title>
      <Card style={{ maxWidth: 640 }}>
        <Typography.Paragraph type="secondary">{t('digest.help')}</Typography.Paragraph>
        {isLoading ? <Spin /> : error ? <Alert type="error" showIcon title={error.message} /> : (
          <Form<Values>
            form={form}
            name="digest"
            layout="vertical"
            onFinish={(v) => save.mutate({ enabled: v.enabled, time: v.time!.format(TIME_FORMAT), nearDueDays: v.nearDueDays ?? 0 })}
          >
            <Form.Item name="enabled" label={t('digest.enabled')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="time" label={t('digest.time')} extra={t('digest.timeHelp')}
              rules={[{ required: true, message: t('common.required') }]}>
              <TimePicker format={TIME_FORMAT} needConfirm={false} disabled={!enabled} />
            </Form.Item>
            <Form.Item name="nearDueDays" label={t('digest.nearDueDays')} extra={t('digest.nearDueDaysHelp')}
              rules={[{ required: true, message: t('common.required') }]}>
              <InputNumber min={0} max={30} precision={0} suffix={t('digest.days')} disabled={!enabled} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={save.isPending}>{t('common.save')}</Button>
          </Form>
        )}
      </Card>
    </>
  );
}
