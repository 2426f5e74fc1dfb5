import { CheckCircleOutlined, CloseCircleOutlined } from '@ant-design/icons';
import { Alert, Card, Descriptions, Space, Tag, Typography } from 'antd';
import type { SignatureReport, VerificationReport } from '../../api/signing';
import { useT } from '../../i18n';
import { formatDate, formatDateTime } from '../format';

const CHAIN_COLORS: Record<SignatureReport['chain'], string> = { trusted: 'success', untrusted: 'error', 'unknown-root': 'warning' };

/** dd/MM/yyyy HH:mm in Vietnam time (the panel's order for a signing time). */
function dateTime(value: string | null | undefined): string {
  if (!value) return '—';
  return formatDateTime(value).split(' ').reverse().join(' ');
}

/** One signature's verdict: signer, certificate, chain, integrity, coverage, time, timestamp, PAdES level. */
function SignatureCard({ s, index }: { s: SignatureReport; index: number }) {
  const t = useT();
  const valid = (s as { valid?: boolean }).valid ?? (s.integrity === 'valid' && s.chain === 'trusted');
  const c = s.certificate;
  const coverage = s.coversWholeDocument ? t('sig.coversAll') : s.modificationsAfter
    ? `${t('sig.added', { what: s.modificationsAfter.description })} (${s.modificationsAfter.permitted ? t('sig.permitted') : t('sig.notPermitted')})`
    : '—';
  const items = [
    { key: 'signer', label: t('sig.signer'), children: s.signerName ?? '—' },
    { key: 'subject', label: t('sig.subject'), children: c?.subject ?? '—' },
    { key: 'issuer', label: t('sig.issuer'), children: c?.issuer ?? '—' },
    { key: 'serial', label: t('sig.serial'), children: <Typography.Text code copyable={!!c}>{c?.serialNumber ?? '—'}</Typography.Text> },
    { key: 'validity', label: t('sig.validity'), children: c ? `${formatDate(c.notBefore)} – ${formatDate(c.notAfter)}` : '—' },
    { key: 'chain', label: t('sig.chain'), children: <Tag color={CHAIN_COLORS[s.chain]}>{t(`sig.chain.${s.chain}`)}</Tag> },
    { key: 'integrity', label: t('sig.integrity'), children: <Tag color={s.integrity === 'valid' ? 'success' : 'error'}>{t(`sig.integrity.${s.integrity}`)}</Tag> },
    { key: 'coverage', label: t('sig.coverage'), children: coverage },
    { key: 'time', label: t('sig.signingTime'), children: dateTime(s.signingTime) },
    {
      key: 'timestamp', label: t('sig.timestamp'), children: s.timestamp
        ? `${dateTime(s.timestamp.time)} · ${s.timestamp.valid ? t('sig.timestampValid') : t('sig.timestampInvalid')}${s.timestamp.authority ? ` · ${s.timestamp.authority}` : ''}`
        : t('sig.timestampNone'),
    },
    { key: 'level', label: t('sig.level'), children: s.level },
    s.reason ? { key: 'reason', label: t('sig.reason'), children: s.reason } : null,
  ].filter((x) => !!x);
  return (
    <Card size="small" data-testid="signature-card"
      title={<Space>{valid ? <CheckCircleOutlined style={{ color: '#389e0d' }} /> : <CloseCircleOutlined style={{ color: '#cf1322' }} />}
        <span>{index + 1}. {s.signerName ?? s.fieldName}</span>
        <Tag color={valid ? 'success' : 'error'}>{valid ? t('sig.valid') : t('sig.invalid')}</Tag></Space>}>
      <Descriptions size="small" column={1} items={items} />
    </Card>
  );
}

/** A verification report: the plain-Vietnamese verdict on top, then each signature. */
export function SignatureReportView({ report }: { report: VerificationReport }) {
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Alert showIcon type={report.signatures.length === 0 ? 'info' : report.valid ? 'success' : 'error'}
        title={<span data-testid="signature-verdict">{report.verdict}</span>} />
      {report.signatures.map((s, i) => <SignatureCard key={s.fieldName} s={s} index={i} />)}
    </Space>
  );
}
