import { FolderAddOutlined } from '@ant-design/icons';
import { App, Button, Form, Modal, Select } from 'antd';
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { docKeys, workFilesApi } from '../../api/documents';
import { useT } from '../../i18n';
import { todayIso } from '../format';

/** "Thêm vào hồ sơ": puts the document into one of the open work files of this year (no copy). */
export function AddToWorkFile({ documentId }: { documentId: string }) {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [fileId, setFileId] = useState<string>();
  const year = Number(todayIso().slice(0, 4));
  const files = useQuery({
    queryKey: [...docKeys.workFiles, { year, pick: true }],
    queryFn: () => workFilesApi.list({ year, pageSize: 200 }),
    enabled: open,
  });
  const add = useMutation({
    mutationFn: () => workFilesApi.addDocument(fileId!, documentId),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: docKeys.workFiles });
      message.success(t('workfile.documentAdded'));
      setOpen(false);
      setFileId(undefined);
    },
    onError: (e) => message.error(e.message),
  });
  const openFiles = (files.data?.items ?? []).filter((f) => f.status === 'open');
  return (
    <>
      <Button icon={<FolderAddOutlined />} onClick={() => setOpen(true)}>{t('workfile.addToFile')}</Button>
      <Modal open={open} title={t('workfile.addToFile')} onCancel={() => setOpen(false)} okText={t('common.confirmAction')}
        cancelText={t('common.cancel')} okButtonProps={{ disabled: !fileId, loading: add.isPending }} onOk={() => add.mutate()} destroyOnHidden>
        <Form layout="vertical" name="add-to-work-file">
          <Form.Item label={t('workfile.file')} htmlFor="add-to-work-file-select" extra={t('workfile.addHelp')}>
            <Select id="add-to-work-file-select" value={fileId} onChange={setFileId} loading={files.isLoading}
              showSearch={{ optionFilterProp: 'label' }} notFoundContent={t('workfile.noOpenFiles')}
              options={openFiles.map((f) => ({ value: f.id, label: `${f.notation} — ${f.title}` }))} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
