import { CheckCircleTwoTone, FilePdfOutlined, MinusCircleOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Descriptions, List, Space, Steps, Tag, Timeline, Typography } from 'antd';
import { type DossierDetail, fileUrl, type FormNumber, formUrl } from '../../api/dossiers';
import { type MessageKey, useT } from '../../i18n';
import { formatDateTime } from '../format';
import { actionLabel, statusLabel } from './DossierTags';

/** Parts of the dossier page: checklist, files, forms, internal process, history. */

export function Checklist({ d }: { d: DossierDetail }) {
  const t = useT();
  if (d.checklist.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <List
      size="small"
      dataSource={d.checklist}
      renderItem={(c) => (
        <List.Item>
          <Space orientation="vertical" size={0} style={{ width: '100%' }}>
            <Space wrap>
              {c.provided ? <CheckCircleTwoTone twoToneColor="#52c41a" aria-label={t('ds.provided')} /> : <MinusCircleOutlined aria-label={t('ds.notProvided')} />}
              <span>{c.name}</span>
              {c.required && <Tag>{t('ds.required')}</Tag>}
            </Space>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {[c.originals ? t('ds.originals', { n: c.originals }) : null, c.copies ? t('ds.copies', { n: c.copies }) : null].filter(Boolean).join(', ')}
              {c.files.map((f) => <a key={f.fileId} href={fileUrl(f.fileId)} target="_blank" rel="noreferrer" style={{ marginLeft: 8 }}><FilePdfOutlined /> {f.name}</a>)}
            </Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}

export function Files({ d }: { d: DossierDetail }) {
  const t = useT();
  if (d.files.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <List
      size="small"
      dataSource={d.files}
      renderItem={(f) => (
        <List.Item>
          <Space wrap>
            <a href={fileUrl(f.fileId)} target="_blank" rel="noreferrer"><FilePdfOutlined /> {f.name}</a>
            {f.kind === 'result' && <Tag color="green">{t('ds.resultTag')}</Tag>}
            {f.kind === 'result_source' && <Tag>{t('ds.result.source')}</Tag>}
            {f.kind === 'supplement' && <Tag color="orange">{t('ds.action.supplement')}</Tag>}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{f.addedByName} · {formatDateTime(f.addedAt)}</Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}

/** The result: the file, whether it carries the agency's electronic seal (which agency, when, the check), the unsealed original. */
export function ResultPanel({ d }: { d: DossierDetail }) {
  const t = useT();
  const r = d.result;
  if (!r) return <Typography.Text type="secondary">{t('ds.result.none')}</Typography.Text>;
  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }}>
      <Space wrap>
        <a href={fileUrl(r.fileId)} target="_blank" rel="noreferrer"><FilePdfOutlined /> {r.name}</a>
        {r.sealed
          ? <Tag color="green" icon={<SafetyCertificateOutlined />} data-testid="result-sealed">{t('ds.result.sealed')}</Tag>
          : <Tag>{t('ds.result.notSealed')}</Tag>}
        {r.sourceFileId && <a href={fileUrl(r.sourceFileId)} target="_blank" rel="noreferrer" style={{ fontSize: 12 }}>{t('ds.result.source')}</a>}
      </Space>
      {r.seal && (
        <Descriptions size="small" column={1} items={[
          { key: 'by', label: t('ds.result.sealedBy'), children: r.seal.agencyName },
          { key: 'at', label: t('ds.result.sealedAt'), children: formatDateTime(r.seal.at) },
          { key: 'verdict', label: t('ds.result.verdict'), children: (
            <Space orientation="vertical" size={0}>
              <Tag color={r.seal.valid ? 'green' : 'red'}>{r.seal.valid ? t('ds.result.valid') : t('ds.result.invalid')}{r.seal.level ? ` · ${r.seal.level}` : ''}</Tag>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.seal.verdict}</Typography.Text>
            </Space>
          ) },
        ]} />
      )}
      {r.onlineUnsealed && <Alert type="warning" showIcon title={t('ds.result.onlineUnsealed')} />}
    </Space>
  );
}

export function Forms({ d }: { d: DossierDetail }) {
  const t = useT();
  if (d.forms.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <List
      size="small"
      dataSource={d.forms}
      renderItem={(f) => (
        <List.Item>
          <a href={formUrl(d.id, f.number as FormNumber, f.actionId)} target="_blank" rel="noreferrer"><FilePdfOutlined /> {t(`ds.form.${f.number}` as MessageKey)}</a>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTime(f.at)}</Typography.Text>
        </List.Item>
      )}
    />
  );
}

export function ProcessSteps({ d }: { d: DossierDetail }) {
  const current = d.process.findIndex((s) => s.current);
  const finished = d.closedAt !== null;
  return (
    <Steps
      orientation="vertical"
      size="small"
      current={finished ? d.process.length : Math.max(0, current)}
      items={d.process.map((s) => ({ title: s.name }))}
    />
  );
}

export function History({ d }: { d: DossierDetail }) {
  const t = useT();
  return (
    <Timeline
      items={d.history.map((h) => ({
        key: h.id,
        color: h.toStatus === 3 || h.toStatus === 8 ? 'red' : h.stepOutcome === 'late' ? 'orange' : 'blue',
        content: (
          <Space orientation="vertical" size={0}>
            <Typography.Text strong>{actionLabel(t, h.action)}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(h.at)} · {h.actorName ?? '—'} · {h.unitName}
            </Typography.Text>
            {(h.toUserName || h.toUnitName) && h.action !== 'receive' && h.action !== 'accept' && <span>{t('ds.handedTo', { to: [h.toUserName, h.toUnitName].filter(Boolean).join(' – ') })}{h.stepName ? ` (${h.stepName})` : ''}</span>}
            {h.fromStatus !== h.toStatus && <span>{statusLabel(t, h.toStatus)}</span>}
            {h.stepOutcome && <Tag color={h.stepOutcome === 'late' ? 'red' : 'green'}>{t(`ds.outcome.${h.stepOutcome}` as MessageKey)}</Tag>}
            {h.reason && <span>{t('ds.reason')}: {h.reason}</span>}
            {h.note && <Typography.Text type="secondary">{t('ds.note')}: {h.note}</Typography.Text>}
          </Space>
        ),
      }))}
    />
  );
}
