import type { Unit } from '../api/types';

export type UnitNode = { key: string; value: string; title: string; unit: Unit; children: UnitNode[] };

/**
 * Builds the tree from the flat list via parentId. A unit whose parent is not in the list (outside
 * the caller's scope) becomes a root, so officials see their own subtree.
 */
export function buildUnitTree(units: Unit[], label: (u: Unit) => string = (u) => u.name): UnitNode[] {
  const nodes = new Map<string, UnitNode>();
  for (const u of units) nodes.set(u.id, { key: u.id, value: u.id, title: label(u), unit: u, children: [] });
  const roots: UnitNode[] = [];
  for (const u of units) {
    const node = nodes.get(u.id)!;
    const parent = u.parentId ? nodes.get(u.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Ids of a unit and all its descendants (a unit cannot move under itself). */
export function subtreeIds(units: Unit[], rootId: string): Set<string> {
  const ids = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const u of units) {
      if (u.parentId && ids.has(u.parentId) && !ids.has(u.id)) {
        ids.add(u.id);
        grew = true;
      }
    }
  }
  return ids;
}
