import { App, Button, Card, Form, Input, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { useT } from '../i18n';

type Values = { currentPassword: string; newPassword: string; confirm: string };

export function ChangePasswordCard() {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const change = useMutation({
    mutationFn: (v: Values) =>
      unwrap(api.POST('/api/me/password', { body: { currentPassword: v.currentPassword, newPassword: v.newPassword } })),
    onSuccess: () => {
      form.resetFields();
      message.success(t('profile.passwordChanged'));
    },
    onError: (e) => message.error({ content: e.message, duration: 8 }),
  });
  const required = { required: true, message: t('common.required') };
  return (
    <Card title={t('profile.changePassword')}>
      <Typography.Paragraph type="secondary">{t('profile.passwordPolicy')}</Typography.Paragraph>
      <Form<Values> form={form} name="password" layout="vertical" onFinish={(v) => change.mutate(v)} style={{ maxWidth: 400 }}>
        <Form.Item label={t('profile.currentPassword')} name="currentPassword" rules={[required]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item label={t('profile.newPassword')} name="newPassword" rules={[required, { min: 10, message: t('profile.passwordPolicy') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item label={t('profile.confirmPassword')} name="confirm" dependencies={['newPassword']}
          rules={[required, ({ getFieldValue }) => ({
            validator: (_, v) => (!v || v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('profile.passwordMismatch')))),
          })]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending}>{t('profile.changePassword')}</Button>
      </Form>
    </Card>
  );
}
