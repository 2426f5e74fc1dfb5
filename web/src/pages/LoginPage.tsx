import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Segmented, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { fetchMe, meKey, useMe } from '../api/queries';
import { useI18n, type Lang } from '../i18n';
import { PROFILE_PATH } from '../components/RequireAuth';

type Credentials = { username: string; password: string };

/** Sign-in in two steps: password, then (for accounts with 2FA) the 6-digit TOTP code. */
export function LoginPage() {
  const { t, lang, setLang } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const [challenge, setChallenge] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: string } | null)?.from;
  const { data: signedIn } = useMe();

  const finish = async () => {
    qc.removeQueries();
    const me = await qc.fetchQuery({ queryKey: meKey, queryFn: fetchMe });
    const target = me.mustEnrollTwoFactor ? PROFILE_PATH : from && from !== location.pathname ? from : '/';
    navigate(target, { replace: true });
  };

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof Error ? e.message : t('auth.failed'));
    } finally {
      setBusy(false);
    }
  };

  const onPassword = (values: Credentials) =>
    run(async () => {
      const answer = await unwrap(api.POST('/api/auth/login', { body: values }));
      if ('twoFactorRequired' in answer && answer.twoFactorRequired) {
        setChallenge(answer.challenge);
        return;
      }
      await finish();
    });

  const onCode = ({ code }: { code: string }) =>
    run(async () => {
      await unwrap(api.POST('/api/auth/login/totp', { body: { challenge: challenge!, code: code.trim() } }));
      await finish();
    });

  if (signedIn && !busy) return <Navigate to={signedIn.mustEnrollTwoFactor ? PROFILE_PATH : '/'} replace />;
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f5f5', padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: 400 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <Typography.Title level={3} style={{ margin: 0 }}>{t('app.name')}</Typography.Title>
          <Segmented<Lang> aria-label={t('lang.label')} size="small" value={lang} onChange={setLang}
            options={[{ label: 'VI', value: 'vi' }, { label: 'EN', value: 'en' }]} />
        </div>
        <Typography.Paragraph type="secondary">{t('app.tagline')}</Typography.Paragraph>
        <Typography.Title level={4}>{challenge ? t('auth.totpTitle') : t('auth.title')}</Typography.Title>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        {!challenge ? (
          <Form<Credentials> layout="vertical" onFinish={onPassword} requiredMark={false} disabled={busy}>
            <Form.Item label={t('auth.username')} name="username" rules={[{ required: true, message: t('common.required') }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item label={t('auth.password')} name="password" rules={[{ required: true, message: t('common.required') }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>{t('auth.submit')}</Button>
          </Form>
        ) : (
          <Form<{ code: string }> layout="vertical" onFinish={onCode} requiredMark={false} disabled={busy}>
            <Typography.Paragraph>{t('auth.totpHelp')}</Typography.Paragraph>
            <Form.Item label={t('auth.totpCode')} name="code"
              rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t('auth.totpInvalid') }]}>
              <Input prefix={<SafetyOutlined />} inputMode="numeric" autoComplete="one-time-code" maxLength={6} autoFocus />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>{t('auth.verify')}</Button>
            <Button type="link" block onClick={() => { setChallenge(null); setError(null); }}>{t('auth.back')}</Button>
          </Form>
        )}
      </Card>
    </div>
  );
}
