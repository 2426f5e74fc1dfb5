import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Drawer, Form, Input, Select, Space } from 'antd';
import { useEffect } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { Official, Role } from '../api/types';
import { useT } from '../i18n';
import { roleOptions } from './labels';
import { UnitTreeSelect } from './UnitTreeSelect';

type Values = {
  username: string; fullName: string; positionTitle?: string; unitId: string;
  email?: string; phone?: string; password: string; roles: { unitId: string; role: Role }[];
};

const blankToNull = (s?: string) => (s && s.trim() ? s.trim() : null);
const sameRoles = (a: { unitId: string; role: Role }[], b: { unitId: string; role: Role }[]) =>
  JSON.stringify(a.map((r) => `${r.unitId}:${r.role}`).sort()) === JSON.stringify(b.map((r) => `${r.unitId}:${r.role}`).sort());

/** Create (official = undefined) or edit an official, with the list of unit + role grants. */
export function OfficialForm({ open, official, onClose }: { open: boolean; official?: Official; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const editing = !!official;

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (official) {
      form.setFieldsValue({
        username: official.username, fullName: official.fullName, positionTitle: official.positionTitle ?? '',
        unitId: official.unitId, email: official.email ?? '', phone: official.phone ?? '',
        roles: official.roles.map((r) => ({ unitId: r.unitId, role: r.role })),
      });
    } else {
      form.setFieldsValue({ roles: [] });
    }
  }, [open, official, form]);

  const save = useMutation({
    mutationFn: async (v: Values) => {
      const roles = (v.roles ?? []).filter((r) => r?.unitId && r?.role);
      const fields = {
        fullName: v.fullName.trim(), positionTitle: blankToNull(v.positionTitle), unitId: v.unitId,
        email: blankToNull(v.email), phone: blankToNull(v.phone),
      };
      if (!official) {
        return unwrap(api.POST('/api/officials', { body: { ...fields, username: v.username.trim(), password: v.password, roles } }));
      }
      const id = official.id;
      await unwrap(api.PATCH('/api/officials/{id}', { params: { path: { id } }, body: fields }));
      if (!sameRoles(roles, official.roles)) {
        await unwrap(api.PUT('/api/officials/{id}/roles', { params: { path: { id } }, body: { roles } }));
      }
    },
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['officials'] });
      message.success(editing ? t('common.saved') : t('official.created'));
      onClose();
    },
    onError: (e) => message.error({ content: e.message, duration: 8 }),
  });

  const required = [{ required: true, whitespace: true, message: t('common.required') }];
  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={editing ? t('official.editTitle') : t('official.createTitle')}
      size={520}
      forceRender
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>{t('common.save')}</Button>
        </Space>
      }
    >
      <Form<Values> form={form} name="official" layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item label={t('official.username')} name="username" rules={editing ? [] : required}>
          <Input disabled={editing} autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('official.fullName')} name="fullName" rules={required}><Input /></Form.Item>
        <Form.Item label={t('official.positionTitle')} name="positionTitle"><Input /></Form.Item>
        <Form.Item label={t('official.unit')} name="unitId" rules={[{ required: true, message: t('common.required') }]}>
          <UnitTreeSelect activeOnly />
        </Form.Item>
        <Form.Item label={t('official.email')} name="email" rules={[{ type: 'email', message: t('common.invalidEmail') }]}>
          <Input />
        </Form.Item>
        <Form.Item label={t('official.phone')} name="phone"><Input /></Form.Item>
        {!editing && (
          <Form.Item label={t('official.password')} name="password" rules={[{ required: true, message: t('common.required') }]}
            extra={t('profile.passwordPolicy')}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        <Form.Item label={t('official.roles')}>
          <Form.List name="roles">
            {(fields, { add, remove }) => (
              <>
                {fields.map(({ key, name }) => (
                  <Space key={key} align="baseline" style={{ display: 'flex', marginBottom: 8 }} wrap>
                    <Form.Item name={[name, 'unitId']} rules={[{ required: true, message: t('common.required') }]} noStyle>
                      <UnitTreeSelect activeOnly placeholder={t('official.unit')} style={{ width: 240 }}
                        aria-label={`${t('official.unit')} ${name + 1}`} />
                    </Form.Item>
                    <Form.Item name={[name, 'role']} rules={[{ required: true, message: t('common.required') }]} noStyle>
                      <Select options={roleOptions(t)} placeholder={t('official.roles')} style={{ width: 180 }}
                        aria-label={`${t('official.roles')} ${name + 1}`} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(name)} aria-label={t('common.delete')} />
                  </Space>
                ))}
                <Button type="dashed" onClick={() => add({ unitId: form.getFieldValue('unitId') })} icon={<PlusOutlined />}>
                  {t('official.addRole')}
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
      </Form>
    </Drawer>
  );
}
