import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useUnits } from '../api/queries';
import type { Unit } from '../api/types';
import { buildUnitTree, type UnitNode } from './unitTree';

type Props = {
  value?: string | null;
  onChange?: (v: string | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  /** Units that may not be chosen (e.g. a unit's own subtree when moving it). */
  disabledIds?: Set<string>;
  activeOnly?: boolean;
  id?: string;
  style?: React.CSSProperties;
  'aria-label'?: string;
};

type Option = { value: string; title: string; disabled?: boolean; children: Option[] };

function toOptions(nodes: UnitNode[], disabled: (u: Unit) => boolean): Option[] {
  return nodes.map((n) => ({
    value: n.value,
    title: n.unit.active ? n.title : `${n.title} (×)`,
    disabled: disabled(n.unit),
    children: toOptions(n.children, disabled),
  }));
}

/** Picks one unit from the caller's scope, shown as a searchable tree. */
export function UnitTreeSelect({ value, onChange, placeholder, allowClear, disabledIds, activeOnly, id, style, ...rest }: Props) {
  const { data: units = [], isLoading } = useUnits();
  const treeData = useMemo(
    () => toOptions(buildUnitTree(units), (u) => !!disabledIds?.has(u.id) || (!!activeOnly && !u.active)),
    [units, disabledIds, activeOnly],
  );
  return (
    <TreeSelect
      id={id}
      aria-label={rest['aria-label']}
      style={{ width: '100%', ...style }}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v as string | undefined)}
      treeData={treeData}
      loading={isLoading}
      placeholder={placeholder}
      allowClear={allowClear}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandAll
      popupMatchSelectWidth={false}
    />
  );
}
