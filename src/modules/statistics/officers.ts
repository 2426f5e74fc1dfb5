import { sql } from 'drizzle-orm';
import { type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { type Period, ts, uuidArray } from './period.js';

/**
 * Per officer, from the dossiers' action log (form 06's hand-overs): the dossiers they received (at the
 * counter, or online ones they accepted) and the process steps they finished in the period, each early,
 * on time or late against the step's due time (the outcome the dossiers module recorded with the
 * hand-over, by local date). Actions taken in the units of the scope count, whoever's dossier it is.
 */
export type OfficerFigures = {
  userId: string;
  fullName: string;
  unitName: string | null;
  received: number;
  steps: number;
  stepsEarly: number;
  stepsOnTime: number;
  stepsLate: number;
  onTimeRate: number | null;
};

const VI = new Intl.Collator('vi');

type Raw = { user_id: string; full_name: string; unit_name: string | null; received: string | number; steps: string | number; early: string | number; on_time: string | number; late: string | number };

export async function officerFigures(db: Db, unitIds: readonly string[], p: Period): Promise<OfficerFigures[]> {
  // Without JIT, as figures.ts.
  const rows = await inTransaction(db, async (tx) => {
    await tx.execute(sql`SET LOCAL jit = off`);
    return queryRows<Raw>(
      tx,
      sql`SELECT s.actor_id AS user_id, coalesce(us.full_name, s.actor_name) AS full_name, un.name AS unit_name, s.received, s.steps, s.early, s.on_time, s.late
            FROM (SELECT a.actor_id, max(a.actor_name) AS actor_name,
                         count(*) FILTER (WHERE a.action IN ('receive', 'accept')) AS received,
                         count(*) FILTER (WHERE a.step_outcome IS NOT NULL) AS steps,
                         count(*) FILTER (WHERE a.step_outcome = 'early') AS early,
                         count(*) FILTER (WHERE a.step_outcome = 'on_time') AS on_time,
                         count(*) FILTER (WHERE a.step_outcome = 'late') AS late
                    FROM dossier_actions a
                   WHERE a.unit_id = ANY(${uuidArray(unitIds)}) AND a.at >= ${ts(p.start)} AND a.at < ${ts(p.end)}
                     AND a.actor_kind = 'official' AND a.actor_id IS NOT NULL
                     AND (a.action IN ('receive', 'accept') OR a.step_outcome IS NOT NULL)
                   GROUP BY a.actor_id) s
            LEFT JOIN users us ON us.id = s.actor_id
            LEFT JOIN officials o ON o.user_id = s.actor_id
            LEFT JOIN units un ON un.id = o.unit_id`,
    );
  });
  return rows
    .map((r) => {
      const steps = Number(r.steps);
      const early = Number(r.early);
      const onTime = Number(r.on_time);
      return {
        userId: r.user_id, fullName: r.full_name ?? '', unitName: r.unit_name, received: Number(r.received), steps,
        stepsEarly: early, stepsOnTime: onTime, stepsLate: Number(r.late), onTimeRate: steps > 0 ? (early + onTime) / steps : null,
      };
    })
    .sort((x, y) => VI.compare(x.fullName, y.fullName) || x.userId.localeCompare(y.userId));
}
