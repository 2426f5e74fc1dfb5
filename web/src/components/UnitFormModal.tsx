import { App, Form, Input, Modal, Select } from 'antd';
import { useEffect } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { unitsKey } from '../api/queries';
import type { Kind, Level, Unit } from '../api/types';
import { useT } from '../i18n';
import { AGENCY_CODE, AGENCY_CODE_MAX, kindOptions, levelOptions } from './labels';

type Values = {
  name: string; shortName: string; level: Level; kind: Kind;
  agencyCode?: string; address?: string; phone?: string; email?: string;
};

type Props =
  | { mode: 'create'; parent: Unit | null; unit?: undefined; open: boolean; onClose: (created?: Unit) => void }
  | { mode: 'edit'; unit: Unit; parent?: undefined; open: boolean; onClose: (created?: Unit) => void };

const blankToNull = (s?: string) => (s && s.trim() ? s.trim() : null);

/** Creates a child unit or edits a unit's own fields (name, short name, level, kind, codes, contacts). */
export function UnitFormModal(props: Props) {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();

  useEffect(() => {
    if (!props.open) return;
    form.resetFields();
    if (props.mode === 'edit') {
      const u = props.unit;
      form.setFieldsValue({
        name: u.name, shortName: u.shortName, level: u.level, kind: u.kind,
        agencyCode: u.agencyCode ?? '', address: u.address ?? '', phone: u.phone ?? '', email: u.email ?? '',
      });
    } else if (props.parent) {
      const childLevel: Record<Level, Level> = { central: 'province', province: 'district', district: 'commune', commune: 'commune' };
      form.setFieldsValue({ level: childLevel[props.parent.level], kind: 'division' });
    }
  }, [props.open, props.mode, props.unit, props.parent, form]);

  const save = useMutation({
    mutationFn: async (v: Values) => {
      const fields = {
        name: v.name.trim(), shortName: v.shortName.trim(), level: v.level, kind: v.kind,
        agencyCode: blankToNull(v.agencyCode), address: blankToNull(v.address),
        phone: blankToNull(v.phone), email: blankToNull(v.email),
      };
      if (props.mode === 'edit') {
        return unwrap(api.PATCH('/api/units/{id}', { params: { path: { id: props.unit.id } }, body: fields }));
      }
      return unwrap(api.POST('/api/units', { body: { ...fields, parentId: props.parent?.id ?? null } }));
    },
    onSuccess: async (unit) => {
      await qc.invalidateQueries({ queryKey: unitsKey });
      await qc.invalidateQueries({ queryKey: ['me'] });
      message.success(props.mode === 'edit' ? t('common.saved') : t('unit.created'));
      props.onClose(props.mode === 'create' ? unit : undefined);
    },
    onError: (e) => message.error(e.message),
  });

  const title = props.mode === 'edit' ? t('unit.editTitle') : t('unit.createTitle');
  return (
    <Modal
      open={props.open}
      title={props.mode === 'create' && props.parent ? `${title} — ${props.parent.name}` : title}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={() => props.onClose()}
      confirmLoading={save.isPending}
      forceRender
    >
      <Form<Values> form={form} name={`unit-${props.mode}`} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item label={t('unit.name')} name="name" rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input maxLength={255} />
        </Form.Item>
        <Form.Item label={t('unit.shortName')} name="shortName" rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item label={t('unit.level')} name="level" rules={[{ required: true, message: t('common.required') }]}>
          <Select options={levelOptions(t)} />
        </Form.Item>
        <Form.Item label={t('unit.kind')} name="kind" rules={[{ required: true, message: t('common.required') }]}>
          <Select options={kindOptions(t)} />
        </Form.Item>
        <Form.Item label={t('unit.agencyCode')} name="agencyCode" extra={t('unit.agencyCodeRule')}
          normalize={(v: string) => v.toUpperCase()}
          rules={[{ pattern: AGENCY_CODE, message: t('unit.agencyCodeInvalid') }, { max: AGENCY_CODE_MAX, message: t('unit.agencyCodeInvalid') }]}>
          <Input placeholder="000.00.00.H99" />
        </Form.Item>
        <Form.Item label={t('unit.address')} name="address"><Input /></Form.Item>
        <Form.Item label={t('unit.phone')} name="phone"><Input /></Form.Item>
        <Form.Item label={t('unit.email')} name="email" rules={[{ type: 'email', message: t('common.invalidEmail') }]}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}
