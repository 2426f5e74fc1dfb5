import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, DatePicker, Form, Input, Select, Space, Switch } from 'antd';
import type { FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import type { Problem } from '../../api/client';
import type { CreateInput, ProcedureVersion, ProcedureRecord } from '../../api/procedures';
import { useUnits } from '../../api/queries';
import { KINDS, LEVELS } from '../../api/types';
import { useT } from '../../i18n';
import { kindLabel, levelLabel } from '../labels';
import { CasesEditor } from './CasesEditor';
import { DurationInput, FeeInput } from './inputs';

const APPLICANTS = ['citizen', 'business', 'organization'] as const;
const CHANNELS = ['in_person', 'online', 'post'] as const;
const ONLINE = ['full', 'partial', 'none'] as const;

export type RecordFormValues = Omit<CreateInput, 'effectiveFrom' | 'record' | 'process' | 'ownerUnitId'> & {
  effectiveFrom?: Dayjs | null;
  twoLevelOn: boolean;
  record: Omit<CreateInput['record'], 'twoLevel'> & { twoLevel?: ProcedureRecord['twoLevel'] };
};

/** Form values from a stored version (edit), or a blank procedure (create). */
export function formValuesOf(v: ProcedureVersion | null): Partial<RecordFormValues> {
  if (!v) {
    return {
      level: 'commune', onlineLevel: 'none', twoLevelOn: false, effectiveFrom: null,
      record: {
        executing: { levels: ['commune'], kinds: ['people_committee'], unitIds: [] }, applicants: ['citizen'], steps: '',
        channels: [{ channel: 'in_person', timeLimit: { unit: 'same-day' }, fee: { kind: 'free' } }],
        cases: [{ name: '', documents: [] }], result: '', legalBasis: '', conditions: null,
      },
    };
  }
  return { name: v.name, field: v.field, level: v.level, onlineLevel: v.onlineLevel, effectiveFrom: null, changeNote: null, twoLevelOn: !!v.record.twoLevel, record: v.record };
}

/** What the API takes from the form's values. */
export function inputOf(values: RecordFormValues): Omit<CreateInput, 'code'> {
  const { twoLevelOn, effectiveFrom, record, ...rest } = values;
  return {
    ...rest,
    effectiveFrom: effectiveFrom ? effectiveFrom.format('YYYY-MM-DD') : undefined,
    record: { ...record, twoLevel: twoLevelOn && record.twoLevel ? { ...record.twoLevel, decidingUnitId: record.twoLevel.decidingUnitId ?? null } : null },
  };
}

/** Puts the server's field errors on the form's fields ("record.channels.0.fee" → ['record','channels',0,'fee']). */
export function showProblem(form: FormInstance, problem: Problem): void {
  const fields = (problem.errors ?? [])
    .filter((e) => e.field)
    .map((e) => ({ name: e.field!.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), errors: [e.message] }));
  try {
    form.setFields(fields);
  } catch {
    /* a path the form does not have: the list below shows it */
  }
}

type Props = { form: FormInstance<RecordFormValues>; initial: Partial<RecordFormValues>; creating: boolean; problem: Problem | null };

/** The national record's fields of a procedure, for a new procedure or a new version. */
export function RecordForm({ form, initial, creating, problem }: Props) {
  const t = useT();
  const units = useUnits();
  const twoLevelOn = Form.useWatch('twoLevelOn', form);
  const unitOptions = useMemo(() => (units.data ?? []).filter((u) => u.active).map((u) => ({ value: u.id, label: u.name })), [units.data]);
  return (
    <Form<RecordFormValues> form={form} initialValues={initial} layout="vertical" name="procedure" scrollToFirstError>
      {problem && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={problem.title ?? t('proc.invalid')}
          description={<ul style={{ margin: 0 }}>{(problem.errors ?? [{ message: problem.detail ?? '' }]).map((e, i) => <li key={i}>{e.field ? `${e.field}: ` : ''}{e.message}</li>)}</ul>}
        />
      )}
      <Space wrap align="start">
        {creating && (
          <Form.Item name="code" label={t('proc.code')} rules={[{ required: true, whitespace: true }]}>
            <Input style={{ width: 180 }} placeholder="1.001193" />
          </Form.Item>
        )}
        <Form.Item name="effectiveFrom" label={t('proc.effectiveFrom')} extra={t('proc.effectiveHelp')}>
          <DatePicker format="DD/MM/YYYY" disabledDate={creating ? undefined : (d) => d.isBefore(dayjs().startOf('day'))} />
        </Form.Item>
        <Form.Item name="field" label={t('proc.field')} rules={[{ required: true, whitespace: true }]}>
          <Input style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="level" label={t('proc.level')} rules={[{ required: true }]}>
          <Select style={{ width: 160 }} options={LEVELS.map((l) => ({ value: l, label: levelLabel(t, l) }))} />
        </Form.Item>
        <Form.Item name="onlineLevel" label={t('proc.onlineLevel')} rules={[{ required: true }]}>
          <Select style={{ width: 160 }} options={ONLINE.map((o) => ({ value: o, label: t(`proc.online.${o}`) }))} />
        </Form.Item>
      </Space>
      <Form.Item name="name" label={t('proc.name')} rules={[{ required: true, whitespace: true }]}>
        <Input.TextArea autoSize />
      </Form.Item>
      {!creating && (
        <Form.Item name="changeNote" label={t('proc.changeNote')}>
          <Input />
        </Form.Item>
      )}
      <Card size="small" title={t('proc.executing')} style={{ marginBottom: 16 }}>
        <Space wrap align="start">
          <Form.Item name={['record', 'executing', 'levels']} label={t('proc.executingLevels')}>
            <Select mode="multiple" style={{ minWidth: 200 }} options={LEVELS.map((l) => ({ value: l, label: levelLabel(t, l) }))} />
          </Form.Item>
          <Form.Item name={['record', 'executing', 'kinds']} label={t('proc.executingKinds')}>
            <Select mode="multiple" style={{ minWidth: 240 }} options={KINDS.map((k) => ({ value: k, label: kindLabel(t, k) }))} />
          </Form.Item>
          <Form.Item name={['record', 'executing', 'unitIds']} label={t('proc.executingUnits')}>
            <Select mode="multiple" style={{ minWidth: 300 }} optionFilterProp="label" options={unitOptions} loading={units.isLoading} />
          </Form.Item>
        </Space>
        <Form.Item name={['record', 'executing', 'note']} label={t('proc.executingNote')}>
          <Input />
        </Form.Item>
        <Form.Item name={['record', 'applicants']} label={t('proc.applicants')} rules={[{ required: true }]}>
          <Checkbox.Group options={APPLICANTS.map((a) => ({ value: a, label: t(`proc.applicant.${a}`) }))} />
        </Form.Item>
      </Card>
      <Form.Item name={['record', 'steps']} label={t('proc.steps')} rules={[{ required: true, whitespace: true }]}>
        <Input.TextArea autoSize={{ minRows: 3 }} />
      </Form.Item>
      <Card size="small" title={t('proc.channels')} style={{ marginBottom: 16 }}>
        <Form.List name={['record', 'channels']}>
          {(items, { add, remove }) => (
            <>
              {items.map((c) => (
                <Space key={c.key} wrap align="start" style={{ display: 'flex', borderBottom: '1px dashed #eee', marginBottom: 8 }}>
                  <Form.Item name={[c.name, 'channel']} label={t('proc.channel')} rules={[{ required: true }]}>
                    <Select style={{ width: 180 }} options={CHANNELS.map((ch) => ({ value: ch, label: t(`proc.channel.${ch}`) }))} />
                  </Form.Item>
                  <Form.Item name={[c.name, 'timeLimit']} label={t('proc.timeLimit')} rules={[{ required: true }]}>
                    <DurationInput />
                  </Form.Item>
                  <Form.Item name={[c.name, 'fee']} label={t('proc.fee')} rules={[{ required: true }]}>
                    <FeeInput />
                  </Form.Item>
                  <Form.Item name={[c.name, 'note']} label={t('proc.note')}>
                    <Input style={{ width: 240 }} />
                  </Form.Item>
                  {items.length > 1 && <Button icon={<DeleteOutlined />} aria-label={t('proc.remove')} onClick={() => remove(c.name)} style={{ marginTop: 30 }} />}
                </Space>
              ))}
              {items.length < 3 && <Button icon={<PlusOutlined />} onClick={() => add({ channel: 'online', timeLimit: { unit: 'same-day' }, fee: { kind: 'free' } })}>{t('proc.addChannel')}</Button>}
            </>
          )}
        </Form.List>
      </Card>
      <Card size="small" title={t('proc.cases')} style={{ marginBottom: 16 }}>
        <CasesEditor />
      </Card>
      <Form.Item name={['record', 'result']} label={t('proc.result')} rules={[{ required: true, whitespace: true }]}>
        <Input.TextArea autoSize />
      </Form.Item>
      <Form.Item name={['record', 'legalBasis']} label={t('proc.legalBasis')} rules={[{ required: true, whitespace: true }]}>
        <Input.TextArea autoSize={{ minRows: 2 }} />
      </Form.Item>
      <Form.Item name={['record', 'conditions']} label={t('proc.conditions')}>
        <Input.TextArea autoSize />
      </Form.Item>
      <Card size="small" title={t('proc.twoLevelSection')} style={{ marginBottom: 16 }}>
        <Form.Item name="twoLevelOn" valuePropName="checked" label={t('proc.twoLevelOn')}>
          <Switch />
        </Form.Item>
        {twoLevelOn && (
          <Space wrap>
            <Form.Item name={['record', 'twoLevel', 'receivingLevel']} label={t('proc.receivingLevel')} rules={[{ required: true }]} initialValue="commune">
              <Select style={{ width: 160 }} options={LEVELS.map((l) => ({ value: l, label: levelLabel(t, l) }))} />
            </Form.Item>
            <Form.Item name={['record', 'twoLevel', 'decidingLevel']} label={t('proc.decidingLevel')} rules={[{ required: true }]} initialValue="province">
              <Select style={{ width: 160 }} options={LEVELS.map((l) => ({ value: l, label: levelLabel(t, l) }))} />
            </Form.Item>
            <Form.Item name={['record', 'twoLevel', 'decidingUnitId']} label={t('proc.decidingUnit')}>
              <Select allowClear style={{ width: 320 }} showSearch optionFilterProp="label" options={unitOptions} />
            </Form.Item>
          </Space>
        )}
      </Card>
    </Form>
  );
}
