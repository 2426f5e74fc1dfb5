import { App, Button, Form, Modal, Space } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type DocumentDetail, type OutgoingAnswer, docKeys } from '../../api/documents';
import { useT } from '../../i18n';
import { formatDate } from '../format';
import { IncomingActionFields, runIncoming, type IncomingValues } from './IncomingActionFields';
import { actionLabel } from './labels';
import { OutgoingActionFields, runOutgoing, type OutgoingValues } from './OutgoingActionFields';
import { OutgoingForm } from './OutgoingForm';
import { SealIssueModal } from '../signing/SealIssueModal';
import { SignModal } from '../signing/SignModal';

/** Order of the buttons; the primary one is the usual next step. */
const ORDER = [
  'present', 'assign', 'reassign', 'progress', 'complete', 'handover', 'forward', 'return',
  'edit', 'upload_draft', 'submit', 'initial', 'approve', 'sign', 'upload_signed', 'seal_issue', 'issue', 'recall', 'replace', 'unread',
];
const PRIMARY = new Set(['present', 'assign', 'complete', 'submit', 'initial', 'approve', 'sign', 'seal_issue', 'issue']);
/** Digital signing: their own dialogs (components/signing). */
const SIGNING = new Set(['sign', 'seal_issue']);
const DANGER = new Set(['return', 'recall']);
/** Actions that open no modal. */
const DIRECT = new Set(['unread']);

type Values = IncomingValues & OutgoingValues;

/** The buttons of detail.allowedActions, each opening a small modal, and what happens after. */
export function DocumentActions({ doc }: { doc: DocumentDetail }) {
  const t = useT();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [action, setAction] = useState<string | null>(null);
  const [editing, setEditing] = useState<'edit' | 'replace' | null>(null);
  const [signing, setSigning] = useState<string | null>(null);
  const incoming = doc.direction === 'incoming';
  const actions = [...doc.allowedActions].sort((a, b) => {
    const ia = ORDER.indexOf(a);
    const ib = ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });

  const run = useMutation({
    mutationFn: async ({ name, values }: { name: string; values: Values }): Promise<OutgoingAnswer | undefined> => {
      if (!incoming && name !== 'unread') return runOutgoing(name, doc.id, values);
      await runIncoming(name, doc.id, values);
      return undefined;
    },
    onSuccess: async (answer, { name }) => {
      setAction(null);
      form.resetFields();
      // Confirm at once: the refetch of every documents query (detail, lists, counters) can take seconds on a
      // busy server, and the official should not wonder whether the click was taken.
      if (name === 'unread') {
        message.success(t('doc.unreadMarked'));
        await qc.invalidateQueries({ queryKey: docKeys.all });
        navigate(-1);
        return;
      }
      message.success(t('doc.actionDone', { action: actionLabel(t, name) }));
      void qc.invalidateQueries({ queryKey: docKeys.all });
      if (name === 'issue' && answer) {
        const d = answer;
        modal.success({
          title: t('doc.issue.done'),
          content: t('doc.issue.number', { number: d.numberSymbol ?? `${d.codeNumber ?? ''}/${d.codeNotation ?? ''}`, date: formatDate(d.issuedDate) }),
        });
      }
      if (answer?.warnings.length) modal.warning({ title: t('doc.outgoing.notes'), content: answer.warnings.join('\n') });
    },
    onError: (e) => message.error(e.message),
  });

  const open = (name: string) => {
    if (name === 'edit' || name === 'replace') setEditing(name);
    else if (SIGNING.has(name)) setSigning(name);
    else if (DIRECT.has(name)) run.mutate({ name, values: {} });
    else {
      form.resetFields();
      setAction(name);
    }
  };

  if (!actions.length) return null;
  return (
    <>
      <Space wrap>
        {actions.map((a) => (
          <Button key={a} type={PRIMARY.has(a) ? 'primary' : 'default'} danger={DANGER.has(a)} onClick={() => open(a)}
            loading={run.isPending && run.variables?.name === a && DIRECT.has(a)}>
            {actionLabel(t, a)}
          </Button>
        ))}
      </Space>
      <Modal open={!!action} title={action ? actionLabel(t, action) : ''} onCancel={() => setAction(null)} destroyOnHidden
        okText={t('common.confirmAction')} cancelText={t('common.cancel')} okButtonProps={{ loading: run.isPending, danger: !!action && DANGER.has(action) }}
        onOk={() => form.submit()}>
        <Form<Values> form={form} name={`doc-action-${action ?? ''}`} layout="vertical" preserve={false}
          onFinish={(values) => action && run.mutate({ name: action, values })}>
          {action && (incoming ? <IncomingActionFields action={action} /> : <OutgoingActionFields action={action} />)}
        </Form>
      </Modal>
      {signing === 'sign' && <SignModal documentId={doc.id} open onClose={() => setSigning(null)} />}
      {signing === 'seal_issue' && <SealIssueModal doc={doc} open onClose={() => setSigning(null)} />}
      {editing && (
        <OutgoingForm open onClose={() => setEditing(null)} document={editing === 'edit' ? doc : undefined}
          replaces={editing === 'replace' ? doc.id : undefined} />
      )}
    </>
  );
}
