import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Empty, Input, Row, Spin, Tag, Tree, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { isAdmin, useMe, useUnits } from '../api/queries';
import type { Unit } from '../api/types';
import { MoveUnitModal } from '../components/MoveUnitModal';
import { UnitDetail } from '../components/UnitDetail';
import { UnitFormModal } from '../components/UnitFormModal';
import { buildUnitTree, type UnitNode } from '../components/unitTree';
import { useT } from '../i18n';

type TreeItem = { key: string; title: React.ReactNode; children: TreeItem[] };

function toTreeData(nodes: UnitNode[], t: ReturnType<typeof useT>, filter: string): TreeItem[] {
  const out: TreeItem[] = [];
  for (const n of nodes) {
    const children = toTreeData(n.children, t, filter);
    const matches = !filter || n.unit.name.toLocaleLowerCase('vi').includes(filter);
    if (!matches && children.length === 0) continue;
    out.push({
      key: n.key,
      title: (
        <span>
          {n.unit.name}
          {!n.unit.active && <Tag style={{ marginInlineStart: 6 }}>{t('common.inactive')}</Tag>}
        </span>
      ),
      children,
    });
  }
  return out;
}

type Dialog = { kind: 'create'; parent: Unit | null } | { kind: 'edit' } | { kind: 'move' } | null;

/** Đơn vị: the unit tree of the caller's scope with a detail panel and the unit actions. */
export function UnitsPage() {
  const t = useT();
  const { data: me } = useMe();
  const { data: units, isLoading, error } = useUnits();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [filter, setFilter] = useState('');
  const byId = useMemo(() => new Map((units ?? []).map((u) => [u.id, u])), [units]);
  const treeData = useMemo(
    () => toTreeData(buildUnitTree(units ?? []), t, filter.trim().toLocaleLowerCase('vi')),
    [units, t, filter],
  );
  const selected = selectedId ? byId.get(selectedId) : undefined;

  if (isLoading) return <Spin />;
  if (error) return <Alert type="error" title={error.message} />;
  return (
    <>
      <Typography.Title level={2}>{t('unit.title')}</Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={10}>
          <Card title={t('unit.tree')}
            extra={isAdmin(me) && (
              <Button size="small" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'create', parent: null })}>
                {t('unit.addRoot')}
              </Button>
            )}>
            <Input.Search placeholder={t('common.search')} allowClear onChange={(e) => setFilter(e.target.value)}
              aria-label={t('common.search')} style={{ marginBottom: 12 }} />
            {treeData.length === 0 ? (
              <Empty description={t('unit.empty')} />
            ) : (
              <Tree<TreeItem>
                key={filter ? `f:${filter}` : 'all'}
                treeData={treeData}
                defaultExpandAll
                showLine
                selectedKeys={selectedId ? [selectedId] : []}
                onSelect={(keys) => setSelectedId((keys[0] as string | undefined) ?? null)}
                aria-label={t('unit.tree')}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} md={14}>
          {selected ? (
            <UnitDetail
              unit={selected}
              parentName={selected.parentId ? byId.get(selected.parentId)?.name : undefined}
              onAddChild={() => setDialog({ kind: 'create', parent: selected })}
              onEdit={() => setDialog({ kind: 'edit' })}
              onMove={() => setDialog({ kind: 'move' })}
              onDeleted={() => setSelectedId(null)}
            />
          ) : (
            <Card><Empty description={t('unit.select')} /></Card>
          )}
        </Col>
      </Row>
      <UnitFormModal
        mode="create"
        open={dialog?.kind === 'create'}
        parent={dialog?.kind === 'create' ? dialog.parent : null}
        onClose={(created) => {
          setDialog(null);
          if (created) setSelectedId(created.id);
        }}
      />
      {selected && (
        <UnitFormModal mode="edit" open={dialog?.kind === 'edit'} unit={selected} onClose={() => setDialog(null)} />
      )}
      {selected && dialog?.kind === 'move' && (
        <MoveUnitModal open unit={selected} units={units ?? []} onClose={() => setDialog(null)} />
      )}
    </>
  );
}
