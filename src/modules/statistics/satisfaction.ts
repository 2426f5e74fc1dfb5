import type { Db } from '../../core/db/index.js';
import { ratingSummary } from '../portal/index.js';
import type { Period } from './period.js';

/**
 * Citizens' satisfaction in the period, from the public portal's ratings (`ratingSummary`: one entry per
 * unit with ratings, then the overall one with unitId null), for the dossiers the units received.
 */

export type UnitSatisfaction = {
  unitId: string | null;
  ratings: number;
  /** Share of the overall ratings (5 levels) that are satisfied or very satisfied (0–1). */
  satisfiedShare: number | null;
  /** Average of the 9-indicator totals as a share of the maximum 18 points (0–1). */
  averageShare: number | null;
};
export type Satisfaction = { overall: UnitSatisfaction; byUnit: UnitSatisfaction[] };

export async function satisfactionOf(db: Db, unitIds: string[], p: Period): Promise<Satisfaction> {
  const entries = (await ratingSummary(db, unitIds, p.start, p.end)).map((e) => ({ unitId: e.unitId, ratings: e.ratings, satisfiedShare: e.satisfiedShare, averageShare: e.averageShare }));
  return {
    overall: entries.find((e) => e.unitId === null) ?? { unitId: null, ratings: 0, satisfiedShare: null, averageShare: null },
    byUnit: entries.filter((e) => e.unitId !== null),
  };
}
