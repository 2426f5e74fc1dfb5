import { sql } from 'drizzle-orm';
import { check, index, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../../core/auth/schema.js';
import { units } from '../directory/schema.js';
import { dossiers } from '../dossiers/schema.js';
import { procedures } from '../procedures/schema.js';

/**
 * Satisfaction ratings (đánh giá mức độ hài lòng): one per dossier, by its applicant, once the result
 * was returned. Either the 9 official indicators (each 0/1/2 points, Decree 61/2018 art. 33) or only the
 * overall 5-level rating, or both; a comment. Rows are never changed (a rating is given once).
 */
export const dossierRatings = pgTable(
  'dossier_ratings',
  {
    dossierId: uuid('dossier_id')
      .primaryKey()
      .references(() => dossiers.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id), // the receiving unit (its one-stop desk): ratings aggregate per unit
    decidingUnitId: uuid('deciding_unit_id')
      .notNull()
      .references(() => units.id), // the unit that handled it last (differs after a two-level transfer)
    procedureId: uuid('procedure_id')
      .notNull()
      .references(() => procedures.id),
    kind: text('kind', { enum: ['indicators', 'simple'] }).notNull(),
    scores: smallint('scores').array(), // the 9 indicators in order, each 0, 1 or 2
    total: smallint('total'), // sum of the scores, 0–18
    level: smallint('level'), // overall: 5 rất hài lòng … 1 rất không hài lòng
    comment: text('comment'),
    ratedBy: uuid('rated_by')
      .notNull()
      .references(() => users.id),
    ratedAt: timestamp('rated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('dossier_ratings_unit_idx').on(t.unitId, t.ratedAt),
    index('dossier_ratings_deciding_unit_idx').on(t.decidingUnitId, t.ratedAt),
    check('dossier_ratings_scores_ck', sql`${t.scores} IS NULL OR (cardinality(${t.scores}) = 9 AND 0 <= ALL(${t.scores}) AND 2 >= ALL(${t.scores}))`),
    check('dossier_ratings_level_ck', sql`${t.level} IS NULL OR ${t.level} BETWEEN 1 AND 5`),
    check('dossier_ratings_given_ck', sql`${t.scores} IS NOT NULL OR ${t.level} IS NOT NULL`),
  ],
);
