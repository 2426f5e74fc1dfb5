import { App, Form, Modal } from 'antd';
import { useMemo, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { unitsKey } from '../api/queries';
import type { Unit } from '../api/types';
import { useT } from '../i18n';
import { subtreeIds } from './unitTree';
import { UnitTreeSelect } from './UnitTreeSelect';

/** Moves a unit under a new parent; its own subtree cannot be chosen. */
export function MoveUnitModal({ unit, units, open, onClose }: { unit: Unit; units: Unit[]; open: boolean; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [parentId, setParentId] = useState<string | undefined>(unit.parentId ?? undefined);
  const blocked = useMemo(() => subtreeIds(units, unit.id), [units, unit.id]);
  const move = useMutation({
    mutationFn: () =>
      unwrap(api.PATCH('/api/units/{id}', { params: { path: { id: unit.id } }, body: { parentId: parentId ?? null } })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: unitsKey });
      message.success(t('common.saved'));
      onClose();
    },
    onError: (e) => message.error(e.message),
  });
  return (
    <Modal open={open} title={`${t('unit.moveTitle')} — ${unit.name}`} okText={t('common.save')} cancelText={t('common.cancel')}
      onOk={() => move.mutate()} onCancel={onClose} confirmLoading={move.isPending}
      okButtonProps={{ disabled: parentId === (unit.parentId ?? undefined) }}>
      <Form layout="vertical">
        <Form.Item label={t('unit.parent')} htmlFor="move-parent">
          <UnitTreeSelect id="move-parent" value={parentId} onChange={setParentId} disabledIds={blocked}
            allowClear placeholder={t('unit.root')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
