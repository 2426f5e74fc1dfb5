import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, DatePicker, Input, InputNumber, Select, Space, Table, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { ApiError, type Problem } from '../../api/client';
import { type ProcedureVersion, type ProcessStepInput, procedureApi, procedureKeys, stepInput } from '../../api/procedures';
import { useUnits } from '../../api/queries';
import { LEVELS } from '../../api/types';
import { useT } from '../../i18n';
import { levelLabel, roleLabel } from '../labels';

const KINDS = ['receive', 'review', 'approve', 'transfer', 'decide', 'return'] as const;
const RULES = ['receiving_unit', 'receiving_department', 'deciding_unit', 'named_unit', 'level'] as const;
const STEP_ROLES = ['onestop_officer', 'specialist', 'leader', 'deputy_leader', 'clerk'] as const;

type Row = ProcessStepInput & { rowKey: number };
let nextKey = 1;
const withKeys = (steps: ProcessStepInput[]): Row[] => steps.map((s) => ({ ...s, rowKey: nextKey++ }));

type Props = { procedureId: string; base: ProcedureVersion; canManage: boolean; timeLimits: string[] };

/**
 * Quy trình nội bộ: ordered steps with role, unit and share of the time limit. Saving creates a new
 * version (running dossiers keep theirs); the server checks that the shares fit every time limit.
 */
export function ProcessEditor({ procedureId, base, canManage, timeLimits }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const units = useUnits(canManage);
  const [rows, setRows] = useState<Row[]>(() => withKeys(base.process.map(stepInput)));
  const [effectiveFrom, setEffectiveFrom] = useState<Dayjs | null>(null);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const unitOptions = useMemo(() => (units.data ?? []).filter((u) => u.active).map((u) => ({ value: u.id, label: u.name })), [units.data]);
  const update = (key: number, patch: Partial<ProcessStepInput>) => setRows((rs) => rs.map((r) => (r.rowKey === key ? { ...r, ...patch } : r)));
  const move = (i: number, by: -1 | 1) =>
    setRows((rs) => {
      const next = [...rs];
      [next[i], next[i + by]] = [next[i + by], next[i]];
      return next;
    });
  const save = useMutation({
    mutationFn: () =>
      procedureApi.editProcess(procedureId, {
        steps: rows.map(({ rowKey: _k, ...s }) => s),
        baseVersionId: base.id,
        effectiveFrom: effectiveFrom ? effectiveFrom.format('YYYY-MM-DD') : undefined,
        changeNote: note || null,
      }),
    onSuccess: (d) => {
      setProblem(null);
      message.success(t('proc.processSaved', { n: d.versions[0].version }));
      qc.setQueryData(procedureKeys.detail(procedureId), d);
      void qc.invalidateQueries({ queryKey: procedureKeys.all });
    },
    onError: (e) => setProblem(e instanceof ApiError ? e.problem : { title: (e as Error).message }),
  });
  const hours = rows.filter((r) => r.shareKind === 'hours').reduce((a, r) => a + r.shareValue, 0);
  const fraction = rows.filter((r) => r.shareKind === 'fraction').reduce((a, r) => a + r.shareValue, 0);
  const ro = !canManage;

  return (
    <>
      <Typography.Paragraph type="secondary">{t('proc.processHelp')}</Typography.Paragraph>
      <Typography.Paragraph>{t('proc.timeLimit')}: {timeLimits.join('; ')}</Typography.Paragraph>
      {problem && (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} title={problem.title}
          description={<ul style={{ margin: 0 }}>{(problem.errors ?? [{ message: problem.detail ?? '' }]).map((e, i) => <li key={i}>{e.field ? `${e.field}: ` : ''}{e.message}</li>)}</ul>} />
      )}
      {rows.length === 0 && <Alert type="info" showIcon title={t('proc.processEmpty')} style={{ marginBottom: 12 }} />}
      <Table<Row>
        rowKey="rowKey"
        size="small"
        pagination={false}
        dataSource={rows}
        scroll={{ x: 1100 }}
        columns={[
          { title: t('proc.stepNo'), key: 'no', width: 56, render: (_v, _r, i) => i + 1 },
          { title: t('proc.stepKind'), dataIndex: 'kind', width: 170, render: (v: Row['kind'], r) => <Select disabled={ro} value={v} style={{ width: 160 }} aria-label={t('proc.stepKind')} onChange={(k) => update(r.rowKey, { kind: k })} options={KINDS.map((k) => ({ value: k, label: t(`proc.kind.${k}`) }))} /> },
          { title: t('proc.stepName'), dataIndex: 'name', render: (v: string, r) => <Input.TextArea disabled={ro} autoSize value={v} aria-label={t('proc.stepName')} onChange={(e) => update(r.rowKey, { name: e.target.value })} /> },
          { title: t('proc.stepRole'), dataIndex: 'role', width: 190, render: (v: Row['role'], r) => <Select disabled={ro} value={v} style={{ width: 180 }} aria-label={t('proc.stepRole')} onChange={(role) => update(r.rowKey, { role })} options={STEP_ROLES.map((x) => ({ value: x, label: roleLabel(t, x) }))} /> },
          {
            title: t('proc.stepUnit'), dataIndex: 'unitRule', width: 280,
            render: (v: Row['unitRule'], r) => (
              <Space direction="vertical" style={{ width: 270 }}>
                <Select disabled={ro} value={v} style={{ width: '100%' }} aria-label={t('proc.stepUnit')} onChange={(unitRule) => update(r.rowKey, { unitRule })} options={RULES.map((x) => ({ value: x, label: t(`proc.rule.${x}`) }))} />
                {v === 'named_unit' && <Select disabled={ro} showSearch optionFilterProp="label" value={r.targetUnitId ?? undefined} style={{ width: '100%' }} options={unitOptions} onChange={(id: string) => update(r.rowKey, { targetUnitId: id })} />}
                {v === 'level' && <Select disabled={ro} value={r.targetLevel ?? undefined} style={{ width: '100%' }} options={LEVELS.map((l) => ({ value: l, label: levelLabel(t, l) }))} onChange={(l) => update(r.rowKey, { targetLevel: l })} />}
              </Space>
            ),
          },
          {
            title: t('proc.stepShare'), key: 'share', width: 250,
            render: (_v, r) => (
              <Space.Compact>
                <InputNumber disabled={ro} min={0.01} step={r.shareKind === 'hours' ? 0.5 : 0.05} value={r.shareValue} aria-label={t('proc.stepShare')} style={{ width: 90 }} onChange={(n) => n && update(r.rowKey, { shareValue: n })} />
                <Select disabled={ro} value={r.shareKind} style={{ width: 150 }} onChange={(shareKind) => update(r.rowKey, { shareKind })} options={(['hours', 'fraction'] as const).map((k) => ({ value: k, label: t(`proc.share.${k}`) }))} />
              </Space.Compact>
            ),
          },
          ...(ro ? [] : [{
            title: '', key: 'actions', width: 130,
            render: (_v: unknown, r: Row, i: number) => (
              <Space>
                <Button size="small" icon={<ArrowUpOutlined />} aria-label={`${t('proc.moveUp')} ${i + 1}`} disabled={i === 0} onClick={() => move(i, -1)} />
                <Button size="small" icon={<ArrowDownOutlined />} aria-label={`${t('proc.moveDown')} ${i + 1}`} disabled={i === rows.length - 1} onClick={() => move(i, 1)} />
                <Button size="small" danger icon={<DeleteOutlined />} aria-label={`${t('proc.remove')} ${i + 1}`} onClick={() => setRows((rs) => rs.filter((x) => x.rowKey !== r.rowKey))} />
              </Space>
            ),
          }]),
        ]}
      />
      <Typography.Paragraph style={{ marginTop: 8 }}>{t('proc.processTotal', { hours: Math.round(hours * 100) / 100, fraction: Math.round(fraction * 1000) / 1000 })}</Typography.Paragraph>
      {canManage && (
        <Space wrap style={{ marginTop: 8 }}>
          <Button icon={<PlusOutlined />} onClick={() => setRows((rs) => [...rs, ...withKeys([{ kind: 'review', name: '', role: 'specialist', unitRule: 'receiving_unit', targetUnitId: null, targetLevel: null, shareKind: 'hours', shareValue: 1 }])])}>{t('proc.addStep')}</Button>
          <DatePicker format="DD/MM/YYYY" placeholder={t('proc.effectiveFrom')} aria-label={t('proc.effectiveFrom')} value={effectiveFrom} onChange={setEffectiveFrom} disabledDate={(d) => d.isBefore(dayjs().startOf('day'))} />
          <Input placeholder={t('proc.changeNote')} aria-label={t('proc.changeNote')} value={note} onChange={(e) => setNote(e.target.value)} style={{ width: 280 }} />
          <Button type="primary" loading={save.isPending} onClick={() => save.mutate()}>{t('proc.processSave')}</Button>
        </Space>
      )}
    </>
  );
}
