import { Alert, Card, Col, Descriptions, Row, Tag, Typography } from 'antd';
import { useMe } from '../api/queries';
import { ChangePasswordCard } from '../components/ChangePasswordCard';
import { roleLabel } from '../components/labels';
import { TwoFactorCard } from '../components/TwoFactorCard';
import { ImageUploadCard } from '../components/signing/ImageUploadCard';
import { useT } from '../i18n';

/** Cá nhân: own details, password change, two-factor enrolment (forced when a role requires it). */
export function ProfilePage() {
  const t = useT();
  const { data: me } = useMe();
  if (!me) return null;
  const u = me.user;
  return (
    <>
      <Typography.Title level={2}>{t('profile.title')}</Typography.Title>
      {me.mustEnrollTwoFactor && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} role="alert"
          title={t('profile.mustEnroll')} description={t('profile.mustEnrollDetail')} />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={u.fullName}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('official.username')}>{u.username}</Descriptions.Item>
              <Descriptions.Item label={t('official.positionTitle')}>{u.positionTitle ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('official.unit')}>{u.unitName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('official.email')}>{u.email ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('official.phone')}>{u.phone ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('official.roles')}>
                <span>
                  {me.roles.map((r) => (
                    <Tag key={`${r.unitId}:${r.role}`} style={{ whiteSpace: 'normal', marginBottom: 4 }}>{roleLabel(t, r.role)} — {r.unitName}</Tag>
                  ))}
                </span>
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <TwoFactorCard enabled={u.twoFactorEnabled} />
        </Col>
        <Col xs={24} xl={12}>
          <ChangePasswordCard />
        </Col>
        <Col xs={24} xl={12}>
          <ImageUploadCard kind="signature" />
        </Col>
      </Row>
    </>
  );
}
