import { sql } from 'drizzle-orm';
import { boolean, date, index, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

/**
 * Administrators' changes to the computed holidays of one day: the government's yearly swaps (extra day
 * off + make-up working Saturday) or a unit's own. `unit_id` null = the whole deployment; otherwise the
 * unit and everything below it (the deepest unit's row wins). Foreign key to `units` in migration
 * 0013 (core cannot import the directory's schema).
 */
export const calendarAdjustments = pgTable(
  'calendar_adjustments',
  {
    id: uuid('id').primaryKey(),
    unitId: uuid('unit_id'),
    day: date('day', { mode: 'string' }).notNull(),
    kind: text('kind', { enum: ['day-off', 'working-day'] }).notNull(),
    name: text('name').notNull(),
    /** The announcement it comes from, e.g. "Công văn 12729/VPCP-KGVX ngày 25/12/2025". */
    legalBasis: text('legal_basis'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('calendar_adjustments_unit_day_uq').on(t.unitId, t.day).nullsNotDistinct(), index('calendar_adjustments_day_idx').on(t.day)],
);

/** Office hours of a unit, inherited by the units below it that have no row of their own. */
export const calendarOfficeHours = pgTable('calendar_office_hours', {
  unitId: uuid('unit_id').primaryKey(),
  /** [{ start: 'HH:mm', end: 'HH:mm' }, …] ascending. */
  sessions: jsonb('sessions').$type<{ start: string; end: string }[]>().notNull(),
  saturdayMorning: boolean('saturday_morning').notNull().default(false),
  sameDayCutoff: text('same_day_cutoff').notNull().default('15:00'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
});
