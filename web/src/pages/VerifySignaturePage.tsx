import { SafetyCertificateOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Layout, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { SIGN_IN_PATH } from '../api/client';
import { signingApi } from '../api/signing';
import { SignatureReportView } from '../components/signing/SignatureReportView';
import { useT } from '../i18n';

export const VERIFY_PATH = '/kiem-tra-chu-ky';

function looksLikePdf(file: File): boolean {
  return file.type === 'application/pdf' || /\.pdf$/i.test(file.name);
}

/** "Kiểm tra chữ ký số": public (no sign-in), upload a PDF and read the report; fits a phone screen. */
export function VerifySignaturePage() {
  const t = useT();
  const [name, setName] = useState<string | null>(null);
  const [notPdf, setNotPdf] = useState(false);
  const verify = useMutation({ mutationFn: (file: File) => signingApi.verify(file) });
  const choose = (file: File) => {
    setName(file.name);
    setNotPdf(!looksLikePdf(file));
    if (looksLikePdf(file)) verify.mutate(file);
    else verify.reset();
    return false;
  };
  return (
    <Layout style={{ minHeight: '100vh', background: '#f5f5f5' }}>
      <Layout.Content style={{ maxWidth: 820, width: '100%', margin: '0 auto', padding: 12 }}>
        <Card>
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <Typography.Title level={2} style={{ margin: 0 }}><SafetyCertificateOutlined /> {t('sig.verify.title')}</Typography.Title>
            <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('sig.verify.intro')}</Typography.Paragraph>
            <Upload accept=".pdf,application/pdf" showUploadList={false} maxCount={1} beforeUpload={choose}>
              <Button type="primary" size="large" icon={<UploadOutlined />} loading={verify.isPending}>{t('sig.verify.choose')}</Button>
            </Upload>
            {name && <Typography.Text>{t('sig.verify.file', { name })}</Typography.Text>}
            {verify.isPending && <Typography.Text type="secondary">{t('sig.verify.checking')}</Typography.Text>}
            {notPdf && <Alert type="error" showIcon title={t('sig.verify.notPdf')} />}
            {verify.error && <Alert type="error" showIcon title={verify.error.message} />}
            {verify.data && <SignatureReportView report={verify.data} />}
            <Link to={SIGN_IN_PATH}>{t('sig.verify.back')}</Link>
          </Space>
        </Card>
      </Layout.Content>
    </Layout>
  );
}
