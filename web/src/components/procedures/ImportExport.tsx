import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Modal, Space, Table, Typography, Upload } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, type Problem } from '../../api/client';
import { procedureApi, procedureKeys } from '../../api/procedures';
import { todayIso } from '../format';
import { useT } from '../../i18n';

/** Export the whole catalogue as JSON; import a JSON catalogue (all or nothing, problems listed). */
export function ImportExport() {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const exporting = useMutation({
    mutationFn: procedureApi.exportFile,
    onSuccess: (blob) => {
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `danh-muc-thu-tuc-${todayIso()}.json`;
      a.click();
      URL.revokeObjectURL(url);
    },
    onError: (e) => message.error((e as Error).message),
  });
  const importing = useMutation({
    mutationFn: async (file: File) => {
      const text = await file.text();
      try {
        JSON.parse(text);
      } catch {
        throw new ApiError(400, { title: t('proc.importBadJson') });
      }
      return procedureApi.importFile(text);
    },
    onSuccess: (r) => {
      setProblem(null);
      setDone(t('proc.importDone', { created: r.proceduresCreated, added: r.versionsAdded, unchanged: r.versionsUnchanged, retired: r.retired }));
      void qc.invalidateQueries({ queryKey: procedureKeys.all });
    },
    onError: (e) => {
      setDone(null);
      setProblem(e instanceof ApiError ? e.problem : { title: (e as Error).message });
    },
  });

  return (
    <>
      <Button icon={<DownloadOutlined />} loading={exporting.isPending} onClick={() => exporting.mutate()}>{t('proc.export')}</Button>
      <Button icon={<UploadOutlined />} onClick={() => { setOpen(true); setProblem(null); setDone(null); }}>{t('proc.import')}</Button>
      <Modal open={open} title={t('proc.importTitle')} onCancel={() => setOpen(false)} footer={null} width={760} destroyOnHidden>
        <Typography.Paragraph type="secondary">{t('proc.importHelp')}</Typography.Paragraph>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Upload accept=".json,application/json" showUploadList={false} beforeUpload={(file) => { importing.mutate(file); return false; }}>
            <Button type="primary" icon={<UploadOutlined />} loading={importing.isPending}>{t('proc.importChoose')}</Button>
          </Upload>
          {done && <Alert type="success" showIcon title={done} />}
          {problem && (
            <>
              <Alert type="error" showIcon title={problem.title} description={problem.detail} />
              {problem.errors?.length ? (
                <Table
                  size="small"
                  rowKey={(_r, i) => String(i)}
                  pagination={{ pageSize: 10 }}
                  title={() => t('proc.errors')}
                  dataSource={problem.errors}
                  columns={[
                    { title: t('proc.errorField'), dataIndex: 'field', width: 280 },
                    { title: t('proc.errorMessage'), dataIndex: 'message' },
                  ]}
                />
              ) : null}
            </>
          )}
        </Space>
      </Modal>
    </>
  );
}
