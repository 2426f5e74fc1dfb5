import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Result, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, rawFetch } from '../api/client';
import { unitsKey } from '../api/queries';
import { useT } from '../i18n';

type RowError = { sheet?: string; row?: number; field?: string; message: string };
type Counts = { unitsCreated: number; officialsCreated: number };

/** "Nhập từ Excel": template download, upload, and the row-by-row error report. */
export function ImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation({
    mutationFn: async (f: File): Promise<Counts> => {
      const body = new FormData();
      body.append('file', f, f.name);
      const res = await rawFetch('/api/directory/import', { method: 'POST', body });
      return (await res.json()) as Counts;
    },
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: unitsKey });
      await qc.invalidateQueries({ queryKey: ['officials'] });
    },
  });
  const close = () => {
    setFile(null);
    upload.reset();
    onClose();
  };
  const err = upload.error;
  const rowErrors: RowError[] = err instanceof ApiError ? (err.problem.errors ?? []) : [];
  return (
    <Modal open={open} title={t('import.title')} onCancel={close} width={760}
      footer={<Button onClick={close}>{t('common.close')}</Button>}>
      <Typography.Paragraph>{t('import.help')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <a href="/api/directory/import/template" download>
          <Button icon={<DownloadOutlined />}>{t('import.template')}</Button>
        </a>
        <Upload
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            upload.reset();
            return false;
          }}
          onRemove={() => setFile(null)}
          fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
        >
          <Button icon={<UploadOutlined />}>{t('import.choose')}</Button>
        </Upload>
        <Button type="primary" disabled={!file} loading={upload.isPending} onClick={() => file && upload.mutate(file)}>
          {t('import.upload')}
        </Button>
      </Space>
      {upload.data && (
        <Result status="success"
          title={t('import.success', { units: upload.data.unitsCreated, officials: upload.data.officialsCreated })} />
      )}
      {err && <Alert type="error" showIcon title={err.message} style={{ marginBottom: 12 }} />}
      {rowErrors.length > 0 && (
        <Table<RowError>
          size="small"
          title={() => t('import.errors')}
          rowKey={(r) => `${r.sheet}:${r.row}:${r.field}:${r.message}`}
          dataSource={rowErrors}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          columns={[
            { title: t('import.sheet'), dataIndex: 'sheet', width: 90 },
            { title: t('import.row'), dataIndex: 'row', width: 70 },
            { title: t('import.field'), dataIndex: 'field', width: 140 },
            { title: t('import.message'), dataIndex: 'message' },
          ]}
        />
      )}
    </Modal>
  );
}
