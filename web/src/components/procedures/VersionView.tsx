import { FilePdfOutlined } from '@ant-design/icons';
import { Descriptions, Table, Tag, Typography } from 'antd';
import { formUrl, type ProcedureVersion } from '../../api/procedures';
import { useT } from '../../i18n';
import { kindLabel, levelLabel } from '../labels';

type Doc = ProcedureVersion['record']['cases'][number]['documents'][number];

/** A procedure version as the public record reads: channels with time and fee, cases with documents and forms. */
export function VersionView({ v }: { v: ProcedureVersion }) {
  const t = useT();
  const r = v.record;
  const unitName = (id: string) => v.labels.unitNames[id] ?? id;
  const pre = (s: string | null | undefined) => <span style={{ whiteSpace: 'pre-wrap' }}>{s}</span>;
  return (
    <>
      <Descriptions bordered size="small" column={1} styles={{ label: { width: 220 } }}>
        <Descriptions.Item label={t('proc.field')}>{v.field}</Descriptions.Item>
        <Descriptions.Item label={t('proc.level')}>{levelLabel(t, v.level)}</Descriptions.Item>
        <Descriptions.Item label={t('proc.onlineLevel')}>{t(`proc.online.${v.onlineLevel}`)}</Descriptions.Item>
        <Descriptions.Item label={t('proc.executing')}>
          {[...r.executing.levels.map((l) => levelLabel(t, l)), ...r.executing.kinds.map((k) => kindLabel(t, k)), ...r.executing.unitIds.map(unitName)].join(', ')}
          {r.executing.note ? ` — ${r.executing.note}` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('proc.applicants')}>{r.applicants.map((a) => t(`proc.applicant.${a}`)).join(', ')}</Descriptions.Item>
        <Descriptions.Item label={t('proc.steps')}>{pre(r.steps)}</Descriptions.Item>
        <Descriptions.Item label={t('proc.channels')}>
          {v.labels.channels.map((c, i) => (
            <div key={c.channel}>
              <strong>{t(`proc.channel.${c.channel as 'in_person'}`)}</strong>: {c.timeLimit}; {t('proc.fee').toLowerCase()}: {c.fee}
              {r.channels[i]?.note ? ` (${r.channels[i].note})` : ''}
            </div>
          ))}
        </Descriptions.Item>
        <Descriptions.Item label={t('proc.result')}>{pre(r.result)}</Descriptions.Item>
        <Descriptions.Item label={t('proc.legalBasis')}>{pre(r.legalBasis)}</Descriptions.Item>
        {r.conditions && <Descriptions.Item label={t('proc.conditions')}>{pre(r.conditions)}</Descriptions.Item>}
        {r.twoLevel && (
          <Descriptions.Item label={t('proc.twoLevelSection')}>
            {levelLabel(t, r.twoLevel.receivingLevel)} → {levelLabel(t, r.twoLevel.decidingLevel)}
            {r.twoLevel.decidingUnitId ? ` (${unitName(r.twoLevel.decidingUnitId)})` : ''}
          </Descriptions.Item>
        )}
        {v.changeNote && <Descriptions.Item label={t('proc.changeNote')}>{v.changeNote}</Descriptions.Item>}
      </Descriptions>
      <Typography.Title level={4} style={{ marginTop: 16 }}>{t('proc.cases')}</Typography.Title>
      {r.cases.map((c) => (
        <div key={c.key} style={{ marginBottom: 16 }}>
          <Typography.Text strong>{c.name}</Typography.Text>
          {v.labels.cases[c.key] && <Tag style={{ marginLeft: 8 }}>{t('proc.caseTimeLimit')}: {v.labels.cases[c.key]}</Tag>}
          <Table<Doc>
            size="small"
            rowKey={(_d, i) => String(i)}
            pagination={false}
            dataSource={c.documents}
            columns={[
              { title: t('proc.docName'), dataIndex: 'name' },
              { title: t('proc.originals'), dataIndex: 'originals', width: 90 },
              { title: t('proc.copies'), dataIndex: 'copies', width: 90 },
              { title: t('proc.required'), dataIndex: 'required', width: 130, render: (req: boolean) => (req ? t('proc.required') : t('proc.optional')) },
              {
                title: t('proc.template'), dataIndex: 'template', width: 260,
                render: (tpl: Doc['template']) => tpl && <a href={formUrl(tpl.fileId)} target="_blank" rel="noreferrer"><FilePdfOutlined /> {tpl.name}</a>,
              },
            ]}
          />
        </div>
      ))}
    </>
  );
}
