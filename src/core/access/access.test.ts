import { describe, expect, it } from 'vitest';
import { type Principal, can, canAnywhere, isSystemAdmin, scopeFor } from './index.js';

const P = '/p/'; // province
const XA1 = '/p/x1/';
const XA1_DESK = '/p/x1/d/';
const XA2 = '/p/x2/';

const person = (roles: Principal['roles'], kind: Principal['kind'] = 'official'): Principal => ({ userId: 'u', kind, username: 'u', fullName: 'U', unitId: null, roles });

describe('access policy', () => {
  it('gives the system admin everything everywhere', () => {
    const admin = person([{ unitId: 'p', unitPath: P, role: 'admin' }]);
    expect(isSystemAdmin(admin)).toBe(true);
    for (const a of ['unit.read', 'unit.manage', 'official.manage', 'audit.read', 'security.manage', 'role.grant_admin'] as const) {
      expect(can(admin, a, XA2)).toBe(true);
      expect(can(admin, a)).toBe(true);
    }
    expect(scopeFor(admin, 'unit.read')).toEqual({ all: true });
  });

  it('limits a commune clerk to the commune subtree, read-only', () => {
    const clerk = person([{ unitId: 'x1', unitPath: XA1, role: 'clerk' }]);
    expect(can(clerk, 'unit.read', XA1)).toBe(true);
    expect(can(clerk, 'unit.read', XA1_DESK)).toBe(true);
    expect(can(clerk, 'unit.read', XA2)).toBe(false);
    expect(can(clerk, 'unit.read', P)).toBe(false);
    expect(can(clerk, 'unit.manage', XA1)).toBe(false);
    expect(can(clerk, 'audit.read')).toBe(false);
    expect(canAnywhere(clerk, 'directory.import')).toBe(false);
  });

  it('lets a unit admin manage its subtree only, and never grant the system admin role', () => {
    const ua = person([{ unitId: 'x1', unitPath: XA1, role: 'unit_admin' }]);
    expect(can(ua, 'official.manage', XA1_DESK)).toBe(true);
    expect(can(ua, 'official.manage', XA2)).toBe(false);
    expect(can(ua, 'unit.manage')).toBe(false); // no deployment-wide reach (e.g. root units)
    expect(can(ua, 'role.grant_admin', XA1)).toBe(false);
    expect(canAnywhere(ua, 'directory.import')).toBe(true);
  });

  it('unions the reach of roles held in several units and drops covered paths', () => {
    const p = person([
      { unitId: 'x1', unitPath: XA1, role: 'clerk' },
      { unitId: 'd', unitPath: XA1_DESK, role: 'onestop_officer' },
      { unitId: 'x2', unitPath: XA2, role: 'specialist' },
    ]);
    expect(scopeFor(p, 'unit.read')).toEqual({ all: false, paths: [XA1, XA2] });
    expect(can(p, 'unit.read', XA2)).toBe(true);
    expect(can(p, 'citizen.read')).toBe(true); // one-stop officers look citizens up
  });

  it('gives public users no reach into official data', () => {
    const citizen = person([], 'citizen');
    expect(scopeFor(citizen, 'unit.read')).toEqual({ all: false, paths: [] });
    expect(can(citizen, 'unit.read', XA1)).toBe(false);
  });

  it('does not confuse sibling paths sharing a prefix of characters', () => {
    const p = person([{ unitId: 'x1', unitPath: '/p/x1/', role: 'clerk' }]);
    expect(can(p, 'unit.read', '/p/x10/')).toBe(false);
  });
});
