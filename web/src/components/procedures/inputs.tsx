import { DeleteOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Input, InputNumber, Select, Space, Upload } from 'antd';
import { uploadFile } from '../../api/documents';
import { type Duration, type Fee, formUrl } from '../../api/procedures';
import { useT } from '../../i18n';

const UNITS = ['same-day', 'working-days', 'working-hours', 'calendar-days'] as const;

/** A time limit: same day, or an amount of working days / working hours / calendar days. */
export function DurationInput({ value, onChange, allowEmpty, id }: { value?: Duration | null; onChange?: (v: Duration | null) => void; allowEmpty?: boolean; id?: string }) {
  const t = useT();
  const unit = value?.unit ?? (allowEmpty ? '' : 'same-day');
  const amount = value && value.unit !== 'same-day' ? value.amount : 1;
  const set = (u: string, a: number) => onChange?.(u === '' ? null : u === 'same-day' ? { unit: 'same-day' } : { unit: u as Exclude<Duration['unit'], 'same-day'>, amount: a });
  return (
    <Space.Compact>
      <Select
        id={id}
        style={{ width: 190 }}
        value={unit}
        aria-label={t('proc.timeLimit')}
        onChange={(u: string) => set(u, amount)}
        options={[...(allowEmpty ? [{ value: '', label: t('proc.durationNone') }] : []), ...UNITS.map((u) => ({ value: u, label: t(`proc.duration.${u}`) }))]}
      />
      {unit !== '' && unit !== 'same-day' && (
        <InputNumber min={0.5} max={3650} step={1} value={amount} aria-label={t('proc.amount')} onChange={(a) => a && set(unit, a)} style={{ width: 90 }} />
      )}
    </Space.Compact>
  );
}

type Tier = { from: number; price: number };

/** A fee rule: free, a fixed amount (per item), or tiered prices per unit with a cap per item. */
export function FeeInput({ value, onChange, id }: { value?: Fee; onChange?: (v: Fee) => void; id?: string }) {
  const t = useT();
  const fee: Fee = value ?? { kind: 'free' };
  const note = (
    <Input placeholder={t('proc.feeNote')} aria-label={t('proc.feeNote')} value={fee.note ?? ''} onChange={(e) => onChange?.({ ...fee, note: e.target.value || null })} style={{ width: 260 }} />
  );
  const kind = (
    <Select
      id={id}
      style={{ width: 170 }}
      value={fee.kind}
      aria-label={t('proc.fee')}
      onChange={(k: Fee['kind']) =>
        onChange?.(k === 'free' ? { kind: 'free', note: fee.note } : k === 'fixed' ? { kind: 'fixed', amount: 0, per: null, note: fee.note } : { kind: 'tiered', unit: 'trang', tiers: [{ from: 1, price: 0 }], maxPerItem: null, per: 'bản', note: fee.note })}
      options={(['free', 'fixed', 'tiered'] as const).map((k) => ({ value: k, label: t(`proc.fee.${k}`) }))}
    />
  );
  if (fee.kind === 'free') return <Space wrap>{kind}{note}</Space>;
  if (fee.kind === 'fixed') {
    return (
      <Space wrap>
        {kind}
        <InputNumber min={0} step={1000} value={fee.amount} aria-label={t('proc.feeAmount')} placeholder={t('proc.feeAmount')} onChange={(a) => onChange?.({ ...fee, amount: a ?? 0 })} style={{ width: 140 }} />
        <Input placeholder={t('proc.feePer')} aria-label={t('proc.feePer')} value={fee.per ?? ''} onChange={(e) => onChange?.({ ...fee, per: e.target.value || null })} style={{ width: 170 }} />
        {note}
      </Space>
    );
  }
  const tiers: Tier[] = fee.tiers;
  const setTiers = (next: Tier[]) => onChange?.({ ...fee, tiers: next });
  return (
    <Space direction="vertical">
      <Space wrap>
        {kind}
        <Input placeholder={t('proc.feeUnit')} aria-label={t('proc.feeUnit')} value={fee.unit} onChange={(e) => onChange?.({ ...fee, unit: e.target.value })} style={{ width: 120 }} />
        <InputNumber min={0} step={1000} value={fee.maxPerItem ?? undefined} placeholder={t('proc.feeMax')} aria-label={t('proc.feeMax')} onChange={(m) => onChange?.({ ...fee, maxPerItem: m ?? null })} style={{ width: 200 }} />
        <Input placeholder={t('proc.feePer')} aria-label={t('proc.feePer')} value={fee.per ?? ''} onChange={(e) => onChange?.({ ...fee, per: e.target.value || null })} style={{ width: 150 }} />
      </Space>
      {tiers.map((tier, i) => (
        <Space key={i}>
          <span>{t('proc.feeFrom', { unit: fee.unit })}</span>
          <InputNumber min={1} value={tier.from} disabled={i === 0} aria-label={t('proc.feeFrom', { unit: fee.unit })} onChange={(f) => setTiers(tiers.map((x, j) => (j === i ? { ...x, from: f ?? 1 } : x)))} style={{ width: 90 }} />
          <InputNumber min={0} step={500} value={tier.price} aria-label={t('proc.feePrice')} onChange={(p) => setTiers(tiers.map((x, j) => (j === i ? { ...x, price: p ?? 0 } : x)))} style={{ width: 130 }} />
          {i > 0 && <Button icon={<DeleteOutlined />} aria-label={t('proc.remove')} onClick={() => setTiers(tiers.filter((_, j) => j !== i))} />}
        </Space>
      ))}
      <Space>
        <Button icon={<PlusOutlined />} onClick={() => setTiers([...tiers, { from: (tiers[tiers.length - 1]?.from ?? 0) + 1, price: 0 }])}>{t('proc.feeAddTier')}</Button>
        {note}
      </Space>
    </Space>
  );
}

type Template = { fileId: string; name: string } | null;

/** A downloadable form template: the current file (link) and an upload that replaces it. */
export function TemplateInput({ value, onChange }: { value?: Template; onChange?: (v: Template) => void }) {
  const t = useT();
  const { message } = App.useApp();
  return (
    <Space>
      {value && (
        <>
          <a href={formUrl(value.fileId)} target="_blank" rel="noreferrer">{value.name}</a>
          <Button size="small" icon={<DeleteOutlined />} aria-label={t('proc.remove')} onClick={() => onChange?.(null)} />
        </>
      )}
      <Upload
        accept=".pdf,.docx,.doc,.odt,.xlsx"
        showUploadList={false}
        customRequest={async ({ file, onSuccess, onError }) => {
          try {
            const stored = await uploadFile(file as File);
            onChange?.({ fileId: stored.id, name: stored.name });
            onSuccess?.(stored);
          } catch (e) {
            message.error((e as Error).message);
            onError?.(e as Error);
          }
        }}
      >
        <Button size="small" icon={<UploadOutlined />}>{t('proc.uploadTemplate')}</Button>
      </Upload>
    </Space>
  );
}
