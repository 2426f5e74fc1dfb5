import { describe, expect, it } from 'vitest';
import type { Principal } from '../../core/access/index.js';
import { type Item, actionsFor, assignScope, containerOf, myOpenItems, openDescendants, originOf, replacedBy, workUnitOf } from './assignments-rules.js';

/** The handling rules as pure functions: chains, containers, who may assign, which buttons. */

const P = { commune: '/r/c/', desk: '/r/c/d/', other: '/r/o/' };
const paths = new Map([['c', P.commune], ['d', P.desk], ['o', P.other]]);
const who = (userId: string, roles: [string, keyof typeof P, Principal['roles'][number]['role']][]): Principal => ({
  userId, kind: 'official', username: userId, fullName: userId, unitId: null, roles: roles.map(([unitId, p, role]) => ({ unitId, unitPath: P[p], role })),
});
const leader = who('leader', [['c', 'commune', 'leader']]);
const clerk = who('clerk', [['c', 'commune', 'clerk']]);
const deskHead = who('deskHead', [['d', 'desk', 'deputy_leader']]);
const spec = who('spec', []);
const other = who('otherLeader', [['o', 'other', 'leader']]);

const item = (id: string, o: Partial<Item>): Item => ({ id, role: 'lead', status: 'pending', assigneeUserId: null, assigneeUnitId: null, parentId: null, assignedBy: 'leader', ...o });
const doc = (o: Partial<{ status: string; presentedTo: string | null; direction: string }> = {}) => ({ unitId: 'c', presentedTo: null, status: 'assigned', direction: 'incoming', ...o });

// spec (lead) forwarded to the desk; the desk head assigned himself within; a co-handler is still open.
const chain: Item[] = [
  item('a1', { assigneeUserId: 'spec', status: 'forwarded' }),
  item('a2', { assigneeUnitId: 'd', parentId: 'a1', assignedBy: 'spec' }),
  item('a3', { assigneeUserId: 'deskHead', parentId: 'a2', assignedBy: 'deskHead', status: 'in_progress' }),
  item('a4', { role: 'co', assigneeUserId: 'clerk' }),
];

describe('chains and containers', () => {
  it('walks up through forwards and hand-overs to the origin; the origin’s parent is the container', () => {
    expect(originOf(chain, chain[1]).id).toBe('a1');
    expect(containerOf(chain, chain[1])).toBeNull();
    expect(originOf(chain, chain[2]).id).toBe('a3');
    expect(containerOf(chain, chain[2])?.id).toBe('a2');
  });
  it('finds the open items below an item (for cancelling)', () => {
    expect(openDescendants(chain, 'a1').map((a) => a.id)).toEqual(['a2', 'a3']);
    expect(openDescendants(chain, 'a2').map((a) => a.id)).toEqual(['a3']);
    expect(openDescendants(chain, 'a4')).toEqual([]);
  });
  it('knows the unit a handler works in', () => {
    expect(workUnitOf(chain, chain[2], 'c')).toBe('d');
    expect(workUnitOf(chain, chain[3], 'c')).toBe('c');
    expect(workUnitOf(chain, chain[1], 'c')).toBe('d');
  });
  it('lists the caller’s open items lead first, including units they lead', () => {
    expect(myOpenItems(deskHead, chain, paths).map((a) => a.id)).toEqual(['a2', 'a3']);
    expect(myOpenItems(clerk, chain, paths).map((a) => a.id)).toEqual(['a4']);
    expect(myOpenItems(spec, chain, paths)).toEqual([]);
    expect(myOpenItems(deskHead, chain, paths, { id: 'a3' }).map((a) => a.id)).toEqual(['a3']);
  });
});

describe('who may assign, and what it replaces', () => {
  it('the unit’s leader at the document’s level; the presented leader even from elsewhere; a container’s leader within it', () => {
    expect(assignScope(leader, doc(), P.commune, chain, paths)).toEqual({ kind: 'top' });
    expect(assignScope(other, doc({ presentedTo: 'otherLeader' }), P.commune, chain, paths)).toEqual({ kind: 'top' });
    expect(assignScope(other, doc(), P.commune, chain, paths)).toBeNull();
    expect(assignScope(clerk, doc(), P.commune, chain, paths)).toBeNull();
    expect(assignScope(deskHead, doc(), P.commune, chain, paths)).toMatchObject({ kind: 'unit', container: { id: 'a2' } });
    expect(assignScope(leader, doc(), P.commune, chain, paths, 'a2')).toMatchObject({ kind: 'unit', container: { id: 'a2' } });
    expect(assignScope(leader, doc(), P.commune, chain, paths, 'a1')).toBeNull(); // not an open unit item
  });
  it('nobody assigns a completed, recalled or outgoing document', () => {
    for (const d of [doc({ status: 'completed' }), doc({ status: 'recalled' }), doc({ direction: 'outgoing' })]) expect(assignScope(leader, d, P.commune, chain, paths)).toBeNull();
  });
  it('re-assignment at the top replaces every open item; within a unit only what is below it', () => {
    expect(replacedBy(chain, { kind: 'top' }).map((a) => a.id)).toEqual(['a2', 'a3', 'a4']);
    expect(replacedBy(chain, { kind: 'unit', container: chain[1] }).map((a) => a.id)).toEqual(['a3']);
  });
});

describe('the buttons (assignmentActions)', () => {
  const noSubs = () => false;
  it('match the caller and the state', () => {
    expect(actionsFor(clerk, doc({ status: 'registered' }), P.commune, [], paths, noSubs)).toEqual(['present', 'unread']);
    expect(actionsFor(leader, doc({ status: 'presented' }), P.commune, [], paths, noSubs)).toEqual(['assign', 'unread']);
    expect(actionsFor(spec, doc(), P.commune, [item('x', { assigneeUserId: 'spec' })], paths, () => true)).toEqual(['progress', 'return', 'handover', 'forward', 'complete', 'unread']);
    expect(actionsFor(spec, doc(), P.commune, [item('x', { assigneeUserId: 'spec', role: 'info' })], paths, noSubs)).toEqual(['complete', 'unread']);
    expect(actionsFor(deskHead, doc(), P.commune, chain, paths, noSubs)).toEqual(['reassign', 'progress', 'return', 'handover', 'complete', 'unread']);
    expect(actionsFor(leader, doc({ status: 'recalled' }), P.commune, chain, paths, noSubs)).toEqual(['unread']);
    expect(actionsFor(leader, doc({ direction: 'outgoing', status: 'draft' }), P.commune, [], paths, noSubs)).toEqual(['unread']);
  });
});
