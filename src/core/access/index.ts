/**
 * The one place that decides who may do what on which unit's data. Routes and services ask
 * `can`/`scopeFor`; nobody re-implements these rules. Pure functions: the principal is loaded once per
 * request (roles with the materialised path of each role's unit).
 */
export type Role = 'admin' | 'unit_admin' | 'clerk' | 'specialist' | 'leader' | 'deputy_leader' | 'onestop_officer';

export type RoleGrant = { unitId: string; unitPath: string; role: Role; unitName?: string };

export type Principal = {
  userId: string;
  kind: 'official' | 'citizen';
  username: string;
  fullName: string;
  unitId: string | null; // primary unit (officials)
  roles: RoleGrant[];
};

export type Action =
  | 'unit.read'
  | 'unit.manage'
  | 'official.read'
  | 'official.manage'
  | 'role.grant_admin'
  | 'citizen.read'
  | 'citizen.manage'
  | 'directory.import'
  | 'audit.read'
  | 'security.manage'
  | 'document.read' // all documents of the unit (specialists see only those they take part in)
  | 'document.register' // register incoming, present to a leader (văn thư)
  | 'document.assign' // instructions and assignment (lãnh đạo)
  | 'document.draft' // draft outgoing documents
  | 'document.issue' // number, register and send outgoing documents (văn thư)
  | 'document.receive' // accept or refuse documents sent by other units (văn thư)
  | 'document.report' // register books and statistics
  | 'workfile.manage'
  | 'outbox.read'
  | 'procedure.manage' // the procedure catalogue (thủ tục hành chính) and its internal processes
  | 'dossier.read' // the dossiers (hồ sơ một cửa) of the unit; each action's roles are in dossiers/transitions.ts
  | 'dossier.receive' // receive dossiers at the counter or by post (Bộ phận Một cửa)
  | 'dossier.report'; // one-stop statistics of the unit and its sub-units (thống kê một cửa)

/**
 * Rules as data: for each action, the roles that grant it and over what reach.
 * 'all' = the whole deployment; 'subtree' = the unit where the role is held and its descendants.
 */
const RULES: Record<Action, Partial<Record<Role, 'all' | 'subtree'>>> = {
  'unit.read': { admin: 'all', unit_admin: 'subtree', clerk: 'subtree', specialist: 'subtree', leader: 'subtree', deputy_leader: 'subtree', onestop_officer: 'subtree' },
  'unit.manage': { admin: 'all', unit_admin: 'subtree' },
  'official.read': { admin: 'all', unit_admin: 'subtree', clerk: 'subtree', specialist: 'subtree', leader: 'subtree', deputy_leader: 'subtree', onestop_officer: 'subtree' },
  'official.manage': { admin: 'all', unit_admin: 'subtree' },
  'role.grant_admin': { admin: 'all' },
  'citizen.read': { admin: 'all', onestop_officer: 'all' },
  'citizen.manage': { admin: 'all' },
  'directory.import': { admin: 'all', unit_admin: 'subtree' },
  'audit.read': { admin: 'all' },
  'security.manage': { admin: 'all' },
  // Official documents are the agencies' business: the system administrator manages accounts, not content.
  'document.read': { clerk: 'subtree', leader: 'subtree', deputy_leader: 'subtree' },
  'document.register': { clerk: 'subtree' },
  'document.assign': { leader: 'subtree', deputy_leader: 'subtree' },
  'document.draft': { clerk: 'subtree', specialist: 'subtree', leader: 'subtree', deputy_leader: 'subtree' },
  'document.issue': { clerk: 'subtree' },
  'document.receive': { clerk: 'subtree' },
  'document.report': { clerk: 'subtree', leader: 'subtree', deputy_leader: 'subtree' },
  'workfile.manage': { clerk: 'subtree', specialist: 'subtree', leader: 'subtree', deputy_leader: 'subtree' },
  'outbox.read': { admin: 'all' },
  // Reading the catalogue is public; editing: the system admin, or a unit admin for the procedures their unit maintains.
  'procedure.manage': { admin: 'all', unit_admin: 'subtree' },
  // One-stop dossiers: the desk, specialists and leaders of the units a dossier passed through (not the system admin).
  'dossier.read': { onestop_officer: 'subtree', specialist: 'subtree', leader: 'subtree', deputy_leader: 'subtree' },
  'dossier.receive': { onestop_officer: 'subtree' },
  // Statistics are aggregates of the units' dossiers: their desk and their leaders (the leaders above see the units below).
  'dossier.report': { onestop_officer: 'subtree', leader: 'subtree', deputy_leader: 'subtree' },
};

/** Where an action reaches: everywhere, or below these unit paths. Empty list = nowhere. */
export type Scope = { all: true } | { all: false; paths: string[] };

export function scopeFor(p: Principal, action: Action): Scope {
  if (p.kind !== 'official') return { all: false, paths: [] };
  const rule = RULES[action];
  const paths: string[] = [];
  for (const g of p.roles) {
    const reach = rule[g.role];
    if (reach === 'all') return { all: true };
    if (reach === 'subtree') paths.push(g.unitPath);
  }
  // Drop paths already covered by a shorter one.
  const minimal = [...new Set(paths)].sort((a, b) => a.length - b.length).filter((x, i, arr) => !arr.slice(0, i).some((y) => x.startsWith(y)));
  return { all: false, paths: minimal };
}

/** May the principal do `action`, on a unit at `unitPath` (omit for deployment-wide actions)? */
export function can(p: Principal, action: Action, unitPath?: string): boolean {
  const scope = scopeFor(p, action);
  if (scope.all) return true;
  if (unitPath === undefined) return false;
  return scope.paths.some((prefix) => unitPath.startsWith(prefix));
}

export function isSystemAdmin(p: Principal): boolean {
  return p.kind === 'official' && p.roles.some((r) => r.role === 'admin');
}

/** Any grant of the action at all (used to show/hide whole admin areas). */
export function canAnywhere(p: Principal, action: Action): boolean {
  const s = scopeFor(p, action);
  return s.all || s.paths.length > 0;
}
