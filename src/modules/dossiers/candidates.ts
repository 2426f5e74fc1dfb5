import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../core/db/index.js';
import { type ProcedureVersion, procedureVersionById } from '../procedures/index.js';
import { transferStep } from './flow.js';
import type { DossierRow } from './log.js';
import { lastStep, nextStep, rolesFor, type Step } from './steps.js';
import { stepUnit } from './targets.js';

/**
 * Who a hand-over can go to (for the forward / transfer / approve dialogs): the step it leads to, the
 * unit that step belongs to, and the active officials holding the step's role there or below.
 */

export type HandoverTargets = {
  step: { position: number; kind: string; name: string; role: string } | null;
  unit: { id: string; name: string } | null;
  people: { id: string; fullName: string; positionTitle: string | null; unitId: string; unitName: string }[];
};

function stepFor(v: ProcedureVersion, d: DossierRow, action: 'forward' | 'transfer' | 'approve' | 'complete'): Step | undefined {
  if (action === 'transfer') return transferStep(v, d);
  if (action === 'complete') return lastStep(v);
  return nextStep(v, d.stepPosition);
}

export async function handoverTargets(db: Db, d: DossierRow, action: 'forward' | 'transfer' | 'approve' | 'complete'): Promise<HandoverTargets> {
  const v = (await procedureVersionById(db, d.procedureVersionId))!;
  const s = stepFor(v, d, action);
  if (!s) return { step: null, unit: null, people: [] };
  const { unit } = await stepUnit(db, d, v, s, null);
  const step = { position: s.position, kind: s.kind, name: s.name, role: s.role };
  if (!unit) return { step, unit: null, people: [] };
  const roles = `{${rolesFor(s.role).join(',')}}`;
  const people = await queryRows<{ id: string; full_name: string; position_title: string | null; unit_id: string; unit_name: string }>(
    db,
    sql`SELECT DISTINCT ON (us.full_name, us.id) us.id, us.full_name, o.position_title, u.id AS unit_id, u.name AS unit_name
          FROM role_assignments r JOIN users us ON us.id = r.user_id JOIN units u ON u.id = r.unit_id LEFT JOIN officials o ON o.user_id = us.id
         WHERE r.role = ANY(${roles}::text[]) AND u.path LIKE ${`${unit.path}%`} AND us.active AND us.kind = 'official'
         ORDER BY us.full_name, us.id LIMIT 200`,
  );
  return {
    step,
    unit: { id: unit.id, name: unit.name },
    people: people.map((p) => ({ id: p.id, fullName: p.full_name, positionTitle: p.position_title, unitId: p.unit_id, unitName: p.unit_name })),
  };
}
