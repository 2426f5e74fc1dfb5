import { Alert, Form, Input, Select } from 'antd';
import { type OutgoingAnswer, type StoredFile, documentsApi } from '../../api/documents';
import { useRegisterBooks } from '../../api/documentQueries';
import { useT } from '../../i18n';
import { FileUpload } from './FileUpload';

export type OutgoingValues = { files?: StoredFile[]; note?: string; reason?: string; bookId?: string };

/** Runs an outgoing-document action (ký nháy and phê duyệt share POST …/approve); answers the updated document. */
export async function runOutgoing(action: string, docId: string, v: OutgoingValues): Promise<OutgoingAnswer | undefined> {
  const fileId = v.files?.[0]?.id ?? '';
  switch (action) {
    case 'upload_draft': return documentsApi.addDraftFile(docId, { fileId, note: v.note?.trim() || undefined });
    case 'upload_signed': return documentsApi.signedFile(docId, fileId);
    case 'initial':
    case 'approve': return documentsApi.approve(docId, v.note?.trim() || undefined);
    case 'return': await documentsApi.giveBack(docId, v.reason?.trim() ?? ''); return undefined;
    case 'recall': return documentsApi.recall(docId, v.reason?.trim() ?? '');
    case 'issue': return documentsApi.issue(docId, v.bookId);
    case 'submit': return documentsApi.submit(docId);
    default: throw new Error(action);
  }
}

const fileRule = (t: ReturnType<typeof useT>) => [{
  validator: async (_: unknown, v: StoredFile[] | undefined) => {
    if (!v?.length) throw new Error(t('doc.file.required'));
  },
}];

/** Form fields of the outgoing-document actions. */
export function OutgoingActionFields({ action }: { action: string }) {
  const t = useT();
  const { data: books = [] } = useRegisterBooks('outgoing', action === 'issue');
  switch (action) {
    case 'upload_draft':
      return (
        <>
          <Form.Item name="files" label={t('doc.outgoing.draftFile')} extra={t('doc.outgoing.draftFileHelp')} rules={fileRule(t)}>
            <FileUpload accept=".pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
              label={t('doc.file.choose')} />
          </Form.Item>
          <Form.Item name="note" label={t('doc.outgoing.versionNote')} rules={[{ max: 500 }]}><Input /></Form.Item>
        </>
      );
    case 'upload_signed':
      return (
        <Form.Item name="files" label={t('doc.outgoing.signedFile')} extra={t('doc.outgoing.signedFileHelp')} rules={fileRule(t)}>
          <FileUpload accept=".pdf,application/pdf" label={t('doc.file.choose')} />
        </Form.Item>
      );
    case 'initial':
    case 'approve':
      return (
        <Form.Item name="note" label={t('doc.review.comment')} rules={[{ max: 2000 }]}>
          <Input.TextArea autoSize={{ minRows: 2 }} />
        </Form.Item>
      );
    case 'return':
    case 'recall':
      return (
        <>
          {action === 'recall' && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('doc.recall.warning')} />}
          <Form.Item name="reason" label={t('doc.reason')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 2000 }]}>
            <Input.TextArea autoSize={{ minRows: 3 }} />
          </Form.Item>
        </>
      );
    case 'issue':
      return (
        <>
          <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('doc.issue.help')} />
          {books.length > 1 && (
            <Form.Item name="bookId" label={t('doc.book')}>
              <Select allowClear options={books.map((b) => ({ value: b.id, label: b.name }))} />
            </Form.Item>
          )}
        </>
      );
    case 'submit':
      return <Alert type="info" showIcon title={t('doc.submit.help')} />;
    default:
      return null;
  }
}
