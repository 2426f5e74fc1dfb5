import { DeleteOutlined, EditOutlined, PlusOutlined, StopOutlined, SwapOutlined, CheckCircleOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Popconfirm, Space, Tag } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { unitsKey } from '../api/queries';
import type { Unit } from '../api/types';
import { useT } from '../i18n';
import { kindLabel, levelLabel } from './labels';

type Props = {
  unit: Unit;
  parentName?: string;
  onAddChild: () => void;
  onEdit: () => void;
  onMove: () => void;
  onDeleted: () => void;
};

/** The selected unit's fields and the actions on it. */
export function UnitDetail({ unit, parentName, onAddChild, onEdit, onMove, onDeleted }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: unitsKey });
  const setActive = useMutation({
    mutationFn: (active: boolean) => unwrap(api.PATCH('/api/units/{id}', { params: { path: { id: unit.id } }, body: { active } })),
    onSuccess: async () => {
      await refresh();
      message.success(t('common.saved'));
    },
    onError: (e) => message.error(e.message),
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/units/{id}', { params: { path: { id: unit.id } } })),
    onSuccess: async () => {
      onDeleted();
      await refresh();
      message.success(t('unit.deleted'));
    },
    onError: (e) => message.error({ content: e.message, duration: 8 }),
  });
  return (
    <Card
      title={unit.name}
      extra={unit.active ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>}
    >
      <Descriptions column={1} size="small" bordered styles={{ label: { width: 160 } }}>
        <Descriptions.Item label={t('unit.shortName')}>{unit.shortName}</Descriptions.Item>
        <Descriptions.Item label={t('unit.parent')}>{parentName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('unit.level')}>{levelLabel(t, unit.level)}</Descriptions.Item>
        <Descriptions.Item label={t('unit.kind')}>{kindLabel(t, unit.kind)}</Descriptions.Item>
        <Descriptions.Item label={t('unit.agencyCode')}>{unit.agencyCode ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('unit.address')}>{unit.address ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('unit.phone')}>{unit.phone ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('unit.email')}>{unit.email ?? '—'}</Descriptions.Item>
      </Descriptions>
      <Space wrap style={{ marginTop: 16 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={onAddChild} disabled={!unit.active}>{t('unit.addChild')}</Button>
        <Button icon={<EditOutlined />} onClick={onEdit}>{t('common.edit')}</Button>
        <Button icon={<SwapOutlined />} onClick={onMove}>{t('unit.move')}</Button>
        {unit.active ? (
          <Popconfirm title={t('common.confirm')} onConfirm={() => setActive.mutate(false)} okText={t('common.yes')} cancelText={t('common.no')}>
            <Button icon={<StopOutlined />} loading={setActive.isPending}>{t('common.deactivate')}</Button>
          </Popconfirm>
        ) : (
          <Button icon={<CheckCircleOutlined />} onClick={() => setActive.mutate(true)} loading={setActive.isPending}>
            {t('common.reactivate')}
          </Button>
        )}
        <Popconfirm title={t('unit.deleteConfirm')} onConfirm={() => remove.mutate()} okText={t('common.delete')}
          cancelText={t('common.cancel')} okButtonProps={{ danger: true }}>
          <Button danger icon={<DeleteOutlined />} loading={remove.isPending}>{t('common.delete')}</Button>
        </Popconfirm>
      </Space>
    </Card>
  );
}
