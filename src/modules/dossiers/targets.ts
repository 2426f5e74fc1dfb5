import { AppError, validationFailed } from '../../core/errors/index.js';
import type { Db } from '../../core/db/index.js';
import type { ProcedureVersion } from '../procedures/index.js';
import type { DossierRow } from './log.js';
import { officialInfo, unitInfo, type UnitInfo } from './policy.js';
import { rolesFor, type Step } from './steps.js';

/**
 * Where a hand-over goes: the unit a step belongs to (by its unit rule) and the person or unit that
 * takes the dossier there. A person must hold the step's role in that unit (or below it); without a
 * person, the unit holds the dossier and any of its members with the step's role may act.
 */

export type Target = { userId: string | null; userName: string | null; unitId: string; unitName: string; role: string };

const ROLE_LABELS: Record<string, string> = {
  onestop_officer: 'công chức Bộ phận Một cửa',
  specialist: 'chuyên viên',
  leader: 'lãnh đạo',
  deputy_leader: 'lãnh đạo',
  clerk: 'văn thư',
};

/** The unit of a step for this dossier, or the level a unit must be chosen at ('level' rule, deciding unit not named). */
export async function stepUnit(db: Db, d: DossierRow, v: ProcedureVersion, s: Step, chosenUnitId: string | null): Promise<{ unit: UnitInfo | null; level: string | null }> {
  const byId = async (id: string | null | undefined) => (id ? ((await unitInfo(db, id)) ?? null) : null);
  switch (s.unitRule) {
    case 'receiving_unit':
    case 'receiving_department':
      return { unit: await byId(d.unitId), level: null };
    case 'named_unit':
      return { unit: await byId(s.targetUnitId), level: null };
    case 'deciding_unit': {
      const named = v.record.twoLevel?.decidingUnitId;
      if (named) return { unit: await byId(named), level: null };
      return { unit: await byId(chosenUnitId), level: v.record.twoLevel?.decidingLevel ?? null };
    }
    case 'level':
      return { unit: await byId(chosenUnitId ?? (await byId(d.currentUnitId))?.id), level: s.targetLevel };
  }
}

/** Is this step performed by the deciding unit of a two-level procedure? */
export function isDecidingStep(v: ProcedureVersion, s: Step): boolean {
  if (!v.record.twoLevel) return false;
  return s.unitRule === 'deciding_unit' || (s.unitRule === 'level' && s.targetLevel === v.record.twoLevel.decidingLevel);
}

/** Resolves and checks the target of a hand-over into step `s`. */
export async function resolveTarget(db: Db, d: DossierRow, v: ProcedureVersion, s: Step, input: { toUserId?: string | null; toUnitId?: string | null }): Promise<Target> {
  const { unit: base, level } = await stepUnit(db, d, v, s, input.toUnitId ?? null);
  if (!base) throw validationFailed([{ field: 'toUnitId', message: `Chọn đơn vị thực hiện bước "${s.name}".` }]);
  if (level && base.level !== level) throw validationFailed([{ field: 'toUnitId', message: `Bước "${s.name}" do đơn vị cấp ${level === 'province' ? 'tỉnh' : level === 'commune' ? 'xã' : level} thực hiện.` }]);
  const roles = rolesFor(s.role);
  const roleLabel = ROLE_LABELS[s.role] ?? s.role;
  if (input.toUserId) {
    const o = await officialInfo(db, input.toUserId);
    const grant = o?.active ? o.roles.find((r) => roles.includes(r.role) && r.unitPath.startsWith(base.path)) : undefined;
    if (!o || !grant) {
      throw validationFailed([{ field: 'toUserId', message: `Người nhận phải là ${roleLabel} của ${base.name}.` }]);
    }
    const unit = (await unitInfo(db, grant.unitId))!;
    return { userId: o.id, userName: o.fullName, unitId: unit.id, unitName: unit.name, role: s.role };
  }
  if (input.toUnitId && input.toUnitId !== base.id) {
    const unit = await unitInfo(db, input.toUnitId);
    if (!unit || !unit.active || !unit.path.startsWith(base.path)) throw validationFailed([{ field: 'toUnitId', message: `Đơn vị nhận phải thuộc ${base.name}.` }]);
    return { userId: null, userName: null, unitId: unit.id, unitName: unit.name, role: s.role };
  }
  if (!base.active) throw new AppError(422, 'unit-inactive', 'Đơn vị đã ngừng hoạt động', `${base.name} đã ngừng hoạt động; chọn đơn vị khác.`);
  return { userId: null, userName: null, unitId: base.id, unitName: base.name, role: s.role };
}
