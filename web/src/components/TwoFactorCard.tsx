import { SafetyOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { meKey } from '../api/queries';
import type { TotpSetup } from '../api/types';
import { useT } from '../i18n';

/** Turning TOTP on (QR + secret, then a code) and off (with the password). */
export function TwoFactorCard({ enabled }: { enabled: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const refreshMe = () => qc.invalidateQueries({ queryKey: meKey });

  const start = useMutation({
    mutationFn: () => unwrap(api.POST('/api/me/totp/setup')),
    onSuccess: setSetup,
    onError: (e) => message.error(e.message),
  });
  const enable = useMutation({
    mutationFn: (code: string) => unwrap(api.POST('/api/me/totp/enable', { body: { code } })),
    onSuccess: async () => {
      setSetup(null);
      await refreshMe();
      message.success(t('profile.enabled2fa'));
    },
    onError: (e) => message.error({ content: e.message, duration: 8 }),
  });
  const disable = useMutation({
    mutationFn: (password: string) => unwrap(api.POST('/api/me/totp/disable', { body: { password } })),
    onSuccess: async () => {
      await refreshMe();
      message.success(t('profile.disabled2fa'));
    },
    onError: (e) => message.error({ content: e.message, duration: 8 }),
  });

  return (
    <Card title={<Space><SafetyOutlined />{t('profile.twoFactor')}</Space>}
      extra={enabled ? <Tag color="green">{t('profile.twoFactorOn')}</Tag> : <Tag>{t('profile.twoFactorOff')}</Tag>}>
      {enabled ? (
        <Form<{ password: string }> name="totp-disable" layout="vertical" onFinish={(v) => disable.mutate(v.password)} style={{ maxWidth: 400 }}>
          <Typography.Paragraph>{t('profile.disable2faHelp')}</Typography.Paragraph>
          <Form.Item label={t('auth.password')} name="password" rules={[{ required: true, message: t('common.required') }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button danger htmlType="submit" loading={disable.isPending}>{t('profile.disable2fa')}</Button>
        </Form>
      ) : !setup ? (
        <Button type="primary" onClick={() => start.mutate()} loading={start.isPending}>{t('profile.enable2fa')}</Button>
      ) : (
        <>
          <Typography.Paragraph>{t('profile.scanQr')}</Typography.Paragraph>
          <img src={setup.qrDataUrl} alt="QR" width={220} height={220} style={{ display: 'block', marginBottom: 12 }} />
          <Typography.Paragraph>
            {t('profile.secret')}:{' '}
            <Typography.Text code copyable={{ text: setup.secret }} data-testid="totp-secret">{setup.secret}</Typography.Text>
          </Typography.Paragraph>
          <Form<{ code: string }> name="totp-enable" layout="vertical" onFinish={(v) => enable.mutate(v.code.trim())} style={{ maxWidth: 300 }}>
            <Form.Item label={t('auth.totpCode')} name="code"
              rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t('auth.totpInvalid') }]}>
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
            </Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" loading={enable.isPending}>{t('profile.confirm2fa')}</Button>
              <Button onClick={() => setSetup(null)}>{t('common.cancel')}</Button>
            </Space>
          </Form>
        </>
      )}
    </Card>
  );
}
