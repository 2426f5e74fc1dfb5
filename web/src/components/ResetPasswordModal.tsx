import { App, Form, Input, Modal, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { Official } from '../api/types';
import { useT } from '../i18n';

/** Admin reset of an official's password. */
export function ResetPasswordModal({ official, onClose }: { official: Official; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ newPassword: string }>();
  const reset = useMutation({
    mutationFn: (newPassword: string) =>
      unwrap(api.POST('/api/officials/{id}/password', { params: { path: { id: official.id } }, body: { newPassword } })),
    onSuccess: () => {
      message.success(t('official.passwordReset'));
      onClose();
    },
    onError: (e) => message.error({ content: e.message, duration: 8 }),
  });
  return (
    <Modal open title={`${t('official.resetPassword')} — ${official.fullName}`} okText={t('common.save')}
      cancelText={t('common.cancel')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={reset.isPending}>
      <Typography.Paragraph type="secondary">{t('profile.passwordPolicy')}</Typography.Paragraph>
      <Form form={form} name="reset-password" layout="vertical" onFinish={(v) => reset.mutate(v.newPassword)}>
        <Form.Item label={t('official.newPassword')} name="newPassword" rules={[{ required: true, message: t('common.required') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
