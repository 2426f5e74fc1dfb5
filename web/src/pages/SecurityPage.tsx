import { App, Button, Card, Checkbox, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { Role } from '../api/types';
import { roleOptions } from '../components/labels';
import { useT } from '../i18n';

/** Bảo mật: which roles must use two-factor authentication. */
export function SecurityPage() {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { data, isLoading, error } = useQuery({
    queryKey: ['security'],
    queryFn: () => unwrap(api.GET('/api/admin/security')),
  });
  const [roles, setRoles] = useState<Role[]>([]);
  useEffect(() => {
    if (data) setRoles(data.requireTwoFactorRoles);
  }, [data]);
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT('/api/admin/security', { body: { requireTwoFactorRoles: roles } })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['security'] });
      await qc.invalidateQueries({ queryKey: ['me'] });
      message.success(t('common.saved'));
    },
    onError: (e) => message.error(e.message),
  });
  return (
    <>
      <Typography.Title level={2}>{t('security.title')}</Typography.Title>
      <Card title={t('security.require2fa')}>
        {isLoading ? <Spin /> : error ? <Typography.Text type="danger">{error.message}</Typography.Text> : (
          <>
            <Typography.Paragraph type="secondary">{t('security.require2faHelp')}</Typography.Paragraph>
            <Checkbox.Group
              style={{ display: 'flex', flexDirection: 'column', gap: 8, marginBottom: 16 }}
              value={roles}
              onChange={(v) => setRoles(v as Role[])}
              options={roleOptions(t)}
            />
            <Button type="primary" onClick={() => save.mutate()} loading={save.isPending}>{t('common.save')}</Button>
          </>
        )}
      </Card>
    </>
  );
}
