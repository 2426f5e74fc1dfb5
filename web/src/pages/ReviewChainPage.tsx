import { Alert, App, Button, Card, Checkbox, Empty, Form, Space, Spin, Steps, Tag, Typography, theme } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReviewStep, adminApi, adminKeys } from '../api/admin';
import { useMe } from '../api/queries';
import type { Me } from '../api/types';
import { UnitTreeSelect } from '../components/UnitTreeSelect';
import { useT } from '../i18n';

/** The unit shown first: the one in the address, else the caller's own unit, else where they lead or administer. */
function defaultUnit(me: Me | undefined): string | undefined {
  if (!me) return undefined;
  return me.user.unitId ?? me.roles.find((r) => r.role === 'leader' || r.role === 'unit_admin')?.unitId ?? me.roles[0]?.unitId;
}

const stepsOf = (initial: boolean): ReviewStep[] => (initial ? ['initial', 'approve'] : ['approve']);

/**
 * Quy trình trình duyệt văn bản đi: per drafting unit, whether drafts go through ký nháy by the unit's
 * head before the signer's approval (Decree 30 art. 13). Leaders and unit administrators edit it;
 * others who draft for the unit see it read-only.
 */
export function ReviewChainPage() {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { data: me } = useMe();
  const [params, setParams] = useSearchParams();
  const unitId = params.get('unitId') ?? defaultUnit(me);
  const config = useQuery({
    queryKey: adminKeys.reviewConfig(unitId ?? ''),
    queryFn: () => adminApi.reviewConfig(unitId!),
    enabled: !!unitId,
    retry: false,
  });
  // The user's change, tied to the unit it was made for (switching units shows that unit's saved chain).
  const [draft, setDraft] = useState<{ unitId: string; initial: boolean } | null>(null);
  const saved = config.data?.steps.includes('initial') ?? false;
  const initial = draft && draft.unitId === unitId ? draft.initial : saved;
  const save = useMutation({
    mutationFn: (v: { unitId: string; steps: ReviewStep[] }) => adminApi.saveReviewConfig(v.unitId, v.steps),
    onSuccess: (data) => {
      qc.setQueryData(adminKeys.reviewConfig(data.unitId), data);
      setDraft(null);
      message.success(t('common.saved'));
    },
    onError: (e) => message.error(e.message),
  });
  const data = config.data;
  const canEdit = !!data?.canEdit;
  // A disabled checkbox greys its label; these labels state the chain, so they stay readable.
  const { token } = theme.useToken();
  const label = (text: string) => <span style={{ color: token.colorText }}>{text}</span>;

  return (
    <>
      <Typography.Title level={2}>{t('review.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('review.help')}</Typography.Paragraph>
      <Form layout="vertical" name="review-unit" style={{ maxWidth: 640 }}>
        <Form.Item label={t('review.unit')} htmlFor="review-unit">
          <UnitTreeSelect id="review-unit" value={unitId} placeholder={t('review.pickUnit')}
            onChange={(v) => setParams(v ? { unitId: v } : {})} />
        </Form.Item>
      </Form>
      {!unitId ? <Empty description={t('review.pickUnit')} /> : config.isLoading ? <Spin /> : config.error ? (
        <Alert type="error" showIcon title={config.error.message} />
      ) : data && (
        <Card style={{ maxWidth: 640 }} title={t('review.steps')}
          extra={data.isDefault && <Tag>{t('review.default')}</Tag>}>
          {!canEdit && <Alert type="info" showIcon title={t('review.readOnly')} style={{ marginBottom: 16 }} />}
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <div>
              <Checkbox checked={initial} disabled={!canEdit} onChange={(e) => setDraft({ unitId: data.unitId, initial: e.target.checked })}>
                {label(t('review.step.initial'))}
              </Checkbox>
              <Tag style={{ marginInlineStart: 4 }}>{t('review.optional')}</Tag>
              <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0 24px' }}>{t('review.step.initialHelp')}</Typography.Paragraph>
            </div>
            <div>
              <Checkbox checked disabled>{label(t('review.step.approve'))}</Checkbox>
              <Tag style={{ marginInlineStart: 4 }}>{t('review.alwaysLast')}</Tag>
              <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0 24px' }}>{t('review.step.approveHelp')}</Typography.Paragraph>
            </div>
            <div>
              <Typography.Text strong>{t('review.sequence')}</Typography.Text>
              <Steps size="small" current={-1} style={{ marginTop: 8 }} items={[
                { title: t('review.drafting') },
                ...stepsOf(initial).map((s) => ({ title: t(`review.short.${s}`) })),
                { title: t('review.issuing') },
              ]} />
            </div>
            {canEdit && (
              <Button type="primary" disabled={initial === saved && !data.isDefault} loading={save.isPending}
                onClick={() => save.mutate({ unitId: data.unitId, steps: stepsOf(initial) })}>
                {t('common.save')}
              </Button>
            )}
          </Space>
        </Card>
      )}
    </>
  );
}
