import { Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useMe, useUnits } from '../api/queries';
import { ImageUploadCard } from '../components/signing/ImageUploadCard';
import { useT } from '../i18n';

/** Con dấu: the unit administrator sets each unit's seal image (transparent PNG, real diameter in mm). */
export function SealImagesPage() {
  const t = useT();
  const { data: me } = useMe();
  const units = useUnits();
  const [unitId, setUnitId] = useState<string | undefined>();
  const chosen = unitId ?? me?.roles.find((r) => r.role === 'unit_admin')?.unitId ?? units.data?.[0]?.id;
  return (
    <>
      <Typography.Title level={2}>{t('img.sealPage')}</Typography.Title>
      <Space style={{ marginBottom: 16 }}>
        <span>{t('cert.unit')}</span>
        <Select aria-label={t('cert.unit')} showSearch optionFilterProp="label" style={{ minWidth: 360 }} value={chosen}
          onChange={setUnitId} options={(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))} />
      </Space>
      {chosen ? <ImageUploadCard key={chosen} kind="seal" unitId={chosen} /> : null}
    </>
  );
}
