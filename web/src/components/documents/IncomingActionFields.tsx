import { DatePicker, Form, Input, InputNumber, Radio, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { type AssignInput, docKeys, documentsApi } from '../../api/documents';
import { handlerLabel, officialLabel, useHandlers, useScopeOfficials } from '../../api/documentQueries';
import { useUnits } from '../../api/queries';
import { useT } from '../../i18n';
import { UnitTreeSelect } from '../UnitTreeSelect';

export type IncomingValues = {
  leaderId?: string; note?: string; leadKind?: 'user' | 'unit'; leadUserId?: string; leadUnitId?: string;
  coHandlers?: string[]; forInfo?: string[]; dueDate?: Dayjs; coDueDate?: Dayjs; instruction?: string; percent?: number;
  reason?: string; toUserId?: string; unitId?: string; replyDocumentId?: string;
};

const day = (d?: Dayjs) => (d ? d.format('YYYY-MM-DD') : undefined);
const stripKind = (ids: string[] = []) => ids.map((v) => v.slice(2));

/** Runs an incoming-document action with the modal's values (reassign = a new assignment replacing the old). */
export async function runIncoming(action: string, docId: string, v: IncomingValues): Promise<unknown> {
  const note = v.note?.trim() || undefined;
  switch (action) {
    case 'present': return documentsApi.present(docId, { leaderId: v.leaderId ?? '', note });
    case 'assign':
    case 'reassign': {
      const body: AssignInput = {
        coHandlerIds: stripKind(v.coHandlers), forInfoIds: stripKind(v.forInfo), dueDate: day(v.dueDate),
        instruction: v.instruction?.trim() ?? '', coDueDate: day(v.coDueDate),
      };
      if (v.leadKind === 'unit') body.leadUnitId = v.leadUnitId;
      else body.leadUserId = v.leadUserId;
      return documentsApi.assign(docId, body);
    }
    case 'progress': return documentsApi.progress(docId, { note: note ?? '', percent: v.percent ?? undefined });
    case 'return': return documentsApi.giveBack(docId, v.reason?.trim() ?? '');
    case 'handover': return documentsApi.handover(docId, { toUserId: v.toUserId ?? '', note });
    case 'forward': return documentsApi.forward(docId, { unitId: v.unitId ?? '', note, dueDate: day(v.dueDate) });
    case 'complete': return documentsApi.complete(docId, { note, replyDocumentId: v.replyDocumentId || undefined });
    case 'unread': return documentsApi.unread(docId);
    default: throw new Error(action);
  }
}

/** Handlers a leader may pick: officials (value u:<id>) and units (value n:<id>). */
function useHandlerOptions(enabled: boolean) {
  const t = useT();
  const { data: handlers = [] } = useHandlers('handler', enabled);
  const { data: units = [] } = useUnits(enabled);
  return [
    { label: t('doc.assign.people'), options: handlers.map((h) => ({ value: `u:${h.id}`, label: handlerLabel(h) })) },
    { label: t('doc.assign.units'), options: units.filter((u) => u.active).map((u) => ({ value: `n:${u.id}`, label: u.name })) },
  ];
}

type PickerProps = { id?: string; value?: string; onChange?: (v: string) => void };

/** Leaders a clerk may present to, or people a leader may assign (GET /api/officials/handlers). */
function HandlerPicker({ role, ...p }: PickerProps & { role: 'handler' | 'leader' }) {
  const { data = [], isLoading } = useHandlers(role);
  return (
    <Select {...p} loading={isLoading} showSearch={{ optionFilterProp: 'label' }}
      options={data.map((h) => ({ value: h.id, label: `${handlerLabel(h)} · ${h.unitName}` }))} />
  );
}

/** Colleagues in the caller's units (hand over within the unit). */
function OfficialPicker(p: PickerProps) {
  const { data: officials = [], isLoading } = useScopeOfficials();
  return (
    <Select {...p} loading={isLoading} showSearch={{ optionFilterProp: 'label' }}
      options={officials.map((o) => ({ value: o.id, label: officialLabel(o) }))} />
  );
}

function ReplyPicker({ id, value, onChange }: { id?: string; value?: string; onChange?: (v: string) => void }) {
  const [q, setQ] = useState('');
  const query = { box: 'outgoing' as const, q: q || undefined, pageSize: 20 };
  const { data, isFetching } = useQuery({ queryKey: docKeys.list(query), queryFn: () => documentsApi.list(query) });
  return (
    <Select id={id} value={value} onChange={onChange} allowClear loading={isFetching} showSearch={{ filterOption: false, onSearch: setQ }}
      options={(data?.items ?? []).map((d) => ({ value: d.id, label: `${d.numberSymbol ?? '—'} · ${d.subject}` }))} />
  );
}

const required = (t: ReturnType<typeof useT>) => [{ required: true, whitespace: true, message: t('common.required') }];

/** Form fields of the incoming-document actions (present, assign, progress, return, hand over, forward, complete). */
export function IncomingActionFields({ action }: { action: string }) {
  const t = useT();
  const handlerOptions = useHandlerOptions(action === 'assign' || action === 'reassign');
  const leadKind = Form.useWatch('leadKind');
  switch (action) {
    case 'present':
      return (
        <>
          <Form.Item name="leaderId" label={t('doc.present.leader')} rules={[{ required: true, message: t('common.required') }]}>
            <HandlerPicker role="leader" />
          </Form.Item>
          <Form.Item name="note" label={t('doc.note')} rules={[{ max: 2000 }]}><Input.TextArea autoSize={{ minRows: 2 }} /></Form.Item>
        </>
      );
    case 'assign':
    case 'reassign':
      return (
        <>
          <Form.Item name="leadKind" label={t('doc.assign.leadKind')} initialValue="user">
            <Radio.Group options={[{ value: 'user', label: t('doc.assign.person') }, { value: 'unit', label: t('doc.assign.unit') }]} />
          </Form.Item>
          {leadKind === 'unit' ? (
            <Form.Item name="leadUnitId" label={t('doc.assign.leadUnit')} rules={[{ required: true, message: t('common.required') }]}>
              <UnitTreeSelect activeOnly />
            </Form.Item>
          ) : (
            <Form.Item name="leadUserId" label={t('doc.assign.lead')} rules={[{ required: true, message: t('common.required') }]}>
              <HandlerPicker role="handler" />
            </Form.Item>
          )}
          <Form.Item name="coHandlers" label={t('doc.assign.co')}>
            <Select mode="multiple" options={handlerOptions} showSearch={{ optionFilterProp: 'label' }} />
          </Form.Item>
          <Form.Item name="forInfo" label={t('doc.assign.info')}>
            <Select mode="multiple" options={handlerOptions} showSearch={{ optionFilterProp: 'label' }} />
          </Form.Item>
          <Form.Item name="dueDate" label={t('doc.assign.dueDate')} rules={[{ required: true, message: t('common.required') }]}>
            <DatePicker format="DD/MM/YYYY" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="coDueDate" label={t('doc.assign.coDueDate')}>
            <DatePicker format="DD/MM/YYYY" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="instruction" label={t('doc.assign.instruction')} rules={[...required(t), { max: 4000 }]}>
            <Input.TextArea autoSize={{ minRows: 3 }} />
          </Form.Item>
        </>
      );
    case 'progress':
      return (
        <>
          <Form.Item name="note" label={t('doc.progress.note')} rules={[...required(t), { max: 4000 }]}><Input.TextArea autoSize={{ minRows: 3 }} /></Form.Item>
          <Form.Item name="percent" label={t('doc.progress.percent')}><InputNumber min={0} max={100} suffix="%" /></Form.Item>
        </>
      );
    case 'return':
    case 'recall':
      return (
        <Form.Item name="reason" label={t('doc.reason')} rules={[...required(t), { max: 2000 }]}>
          <Input.TextArea autoSize={{ minRows: 3 }} />
        </Form.Item>
      );
    case 'handover':
      return (
        <>
          <Form.Item name="toUserId" label={t('doc.handover.to')} rules={[{ required: true, message: t('common.required') }]}><OfficialPicker /></Form.Item>
          <Form.Item name="note" label={t('doc.note')} rules={[{ max: 2000 }]}><Input.TextArea autoSize={{ minRows: 2 }} /></Form.Item>
        </>
      );
    case 'forward':
      return (
        <>
          <Form.Item name="unitId" label={t('doc.forward.unit')} rules={[{ required: true, message: t('common.required') }]}>
            <UnitTreeSelect activeOnly />
          </Form.Item>
          <Form.Item name="dueDate" label={t('doc.assign.dueDate')}><DatePicker format="DD/MM/YYYY" style={{ width: '100%' }} /></Form.Item>
          <Form.Item name="note" label={t('doc.note')} rules={[{ max: 2000 }]}><Input.TextArea autoSize={{ minRows: 2 }} /></Form.Item>
        </>
      );
    case 'complete':
      return (
        <>
          <Form.Item name="note" label={t('doc.complete.note')} rules={[...required(t), { max: 4000 }]}><Input.TextArea autoSize={{ minRows: 3 }} /></Form.Item>
          <Form.Item name="replyDocumentId" label={t('doc.complete.reply')}><ReplyPicker /></Form.Item>
        </>
      );
    default:
      return null;
  }
}
