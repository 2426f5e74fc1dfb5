import { Button, Result } from 'antd';
import { Link } from 'react-router';
import { useT } from '../i18n';

export function NotFoundPage() {
  const t = useT();
  return (
    <Result status="404" title={t('common.notFound')}
      extra={<Link to="/"><Button type="primary">{t('common.backHome')}</Button></Link>} />
  );
}
