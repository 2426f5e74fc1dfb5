import { type Principal, can } from '../../core/access/index.js';
import type { ASSIGNMENT_ROLES, ASSIGNMENT_STATUSES } from './schema.js';

/**
 * The rules of handling an incoming document, as pure functions over its assignments, shared by the
 * services (which enforce them) and by assignmentActions (which tells the web app which buttons to show).
 *
 * Shape of the assignments of one document:
 * - /assign at the document's level creates top-level items (parent_id null): one lead, co-handlers, for-information.
 * - A hand-over or a forward replaces an item by a child with the same role (parent_id = the old one, whose
 *   status becomes handed_over / forwarded): a chain.
 * - An item addressed to a unit is a container: the leader of that unit assigns within it (/assign with
 *   withinAssignmentId), creating children whose parent is the container while it stays open.
 * So for an open item, walking up through handed_over/forwarded parents reaches its origin (made by /assign);
 * the origin's parent, if any, is the container it was assigned within. Completing the lead of a container
 * completes the container; completing the top-level lead completes the document.
 */

export type AssignmentRole = (typeof ASSIGNMENT_ROLES)[number];
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

export type Item = {
  id: string;
  role: AssignmentRole;
  status: AssignmentStatus;
  assigneeUserId: string | null;
  assigneeUnitId: string | null;
  parentId: string | null;
  assignedBy: string;
};

export const OPEN_STATUSES: readonly AssignmentStatus[] = ['pending', 'in_progress'];
export const isOpen = (a: Pick<Item, 'status'>): boolean => OPEN_STATUSES.includes(a.status);
const CHAIN: readonly AssignmentStatus[] = ['handed_over', 'forwarded'];
const ROLE_ORDER: Record<AssignmentRole, number> = { lead: 0, co: 1, info: 2 };

/** The item /assign created for this chain (walking up through hand-overs and forwards). */
export function originOf<T extends Item>(items: T[], a: T): T {
  const byId = new Map(items.map((x) => [x.id, x]));
  let cur = a;
  for (let guard = 0; guard < 1000 && cur.parentId; guard++) {
    const parent = byId.get(cur.parentId);
    if (!parent || !CHAIN.includes(parent.status)) break;
    cur = parent;
  }
  return cur;
}

/** The unit item this one was assigned within, or null for the document's own level. */
export function containerOf<T extends Item>(items: T[], a: T): T | null {
  const origin = originOf(items, a);
  return origin.parentId ? (items.find((x) => x.id === origin.parentId) ?? null) : null;
}

/** Open items below `rootId` (its children, their hand-overs, …), for cancelling on re-assignment. */
export function openDescendants<T extends Item>(items: T[], rootId: string): T[] {
  const out: T[] = [];
  const seen = new Set<string>([rootId]);
  let frontier = [rootId];
  while (frontier.length) {
    const next = items.filter((x) => x.parentId && frontier.includes(x.parentId) && !seen.has(x.id));
    next.forEach((x) => seen.add(x.id));
    out.push(...next.filter(isOpen));
    frontier = next.map((x) => x.id);
  }
  return out;
}

/** Unit paths by unit id (the document's unit and every unit an item is addressed to). */
export type Paths = Map<string, string>;

/** Does the principal act for this item: addressed to them, or to a unit they lead? */
export function actsFor(p: Principal, a: Item, paths: Paths): boolean {
  if (a.assigneeUserId) return a.assigneeUserId === p.userId;
  const path = a.assigneeUnitId ? paths.get(a.assigneeUnitId) : undefined;
  return !!path && can(p, 'document.assign', path);
}

/** The caller's open items, lead first; `roles` narrows them; `id` picks one. */
export function myOpenItems<T extends Item>(p: Principal, items: T[], paths: Paths, opts: { roles?: AssignmentRole[]; id?: string } = {}): T[] {
  return items
    .filter((a) => isOpen(a) && actsFor(p, a, paths) && (!opts.roles || opts.roles.includes(a.role)) && (!opts.id || a.id === opts.id))
    .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
}

export type DocLike = { unitId: string; presentedTo: string | null; status: string; direction: string };
export type AssignScope = { kind: 'top' } | { kind: 'unit'; container: Item };

/**
 * Where the caller may assign: at the document's level (a leader of its unit or an ancestor, or the
 * leader it was presented to), or within an open item addressed to a unit they lead (a forward to a
 * subordinate unit is assigned on by that unit's leader). `withinId` chooses the container explicitly.
 */
export function assignScope(p: Principal, doc: DocLike, docPath: string, items: Item[], paths: Paths, withinId?: string | null): AssignScope | null {
  if (doc.direction !== 'incoming' || doc.status === 'completed' || doc.status === 'recalled') return null;
  const containers = items.filter((a) => isOpen(a) && a.assigneeUnitId && actsFor(p, a, paths));
  if (withinId) {
    const c = containers.find((a) => a.id === withinId);
    return c ? { kind: 'unit', container: c } : null;
  }
  if (doc.presentedTo === p.userId || can(p, 'document.assign', docPath)) return { kind: 'top' };
  return containers[0] ? { kind: 'unit', container: containers[0] } : null;
}

/** Items a new assignment at this scope replaces. */
export function replacedBy(items: Item[], scope: AssignScope): Item[] {
  return scope.kind === 'top' ? items.filter(isOpen) : openDescendants(items, scope.container.id);
}

/** The unit within which an item's handler works (hand-over targets, forwards below it). */
export function workUnitOf(items: Item[], a: Item, docUnitId: string): string {
  if (a.assigneeUnitId) return a.assigneeUnitId;
  const c = containerOf(items, a);
  return c?.assigneeUnitId ?? docUnitId;
}

/** May the caller present the document to a leader (a clerk of its unit, before it is assigned)? */
export function mayPresent(p: Principal, doc: DocLike, docPath: string): boolean {
  return doc.direction === 'incoming' && ['registered', 'presented'].includes(doc.status) && can(p, 'document.register', docPath);
}

export type ActionName = 'present' | 'assign' | 'reassign' | 'progress' | 'return' | 'handover' | 'forward' | 'complete' | 'unread';

/**
 * What the caller may do now. `hasSubordinates(unitId)` says whether a unit has active units below it.
 * The routes enforce exactly these rules through the same functions.
 */
export function actionsFor(p: Principal, doc: DocLike, docPath: string, items: Item[], paths: Paths, hasSubordinates: (unitId: string) => boolean): ActionName[] {
  const out: ActionName[] = [];
  if (doc.direction === 'incoming' && doc.status !== 'recalled') {
    if (mayPresent(p, doc, docPath)) out.push('present');
    const scope = assignScope(p, doc, docPath, items, paths);
    if (scope) out.push(replacedBy(items, scope).length ? 'reassign' : 'assign');
    const mine = myOpenItems(p, items, paths);
    const handling = mine.filter((a) => a.role !== 'info');
    if (handling.length) out.push('progress', 'return');
    if (handling.some((a) => a.assigneeUserId)) out.push('handover');
    if (handling.some((a) => hasSubordinates(workUnitOf(items, a, doc.unitId)))) out.push('forward');
    if (mine.length) out.push('complete');
  }
  out.push('unread');
  return out;
}
