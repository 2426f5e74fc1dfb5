import { sql } from 'drizzle-orm';
import { doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { units } from '../directory/schema.js';
import type { ProcedureRecord } from './record.js';

/**
 * The procedure catalogue (thủ tục hành chính). A procedure is its code and owner; everything the
 * national record says lives in versions, each in force from its effective date. Versions are never
 * changed: an edit (of the record or of the internal process) is a new version, so a dossier keeps
 * the version it was received under.
 */
export const procedures = pgTable(
  'procedures',
  {
    id: uuid('id').primaryKey(),
    code: text('code').notNull(), // mã thủ tục in the national database, e.g. '1.001193'
    // The unit that maintains this record (the province for the shared catalogue); edits need its reach.
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    // Bãi bỏ: no version is in force from this time on (dossiers received earlier keep theirs).
    retiredFrom: timestamp('retired_from', { withTimezone: true }),
    retiredBy: uuid('retired_by'),
    retireReason: text('retire_reason'),
  },
  (t) => [uniqueIndex('procedures_code_uq').on(t.code), index('procedures_unit_idx').on(t.unitId)],
);

export const ONLINE_LEVELS = ['full', 'partial', 'none'] as const; // toàn trình / một phần / không

/** One version of a procedure's record, in force from `effective_from` until the next version's. */
export const procedureVersions = pgTable(
  'procedure_versions',
  {
    id: uuid('id').primaryKey(),
    procedureId: uuid('procedure_id')
      .notNull()
      .references(() => procedures.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id), // the procedure's owner unit, kept on every owned row
    version: integer('version').notNull(),
    effectiveFrom: timestamp('effective_from', { withTimezone: true }).notNull(),
    name: text('name').notNull(),
    field: text('field').notNull(), // lĩnh vực, e.g. 'Hộ tịch'
    level: text('level', { enum: ['central', 'province', 'district', 'commune'] }).notNull(),
    onlineLevel: text('online_level', { enum: ONLINE_LEVELS }).notNull(),
    // Folded code, name and field (accent- and case-insensitive search).
    searchText: text('search_text').notNull(),
    // Executing units, applicants, steps, channels (time limit, fee), cases and documents, result,
    // legal basis, conditions, two-level transfer — validated by the zod schema in record.ts.
    record: jsonb('record').$type<ProcedureRecord>().notNull(),
    // Form templates referenced by the cases' documents: public downloads are checked against this.
    formFileIds: uuid('form_file_ids').array().notNull().default(sql`'{}'::uuid[]`),
    changeNote: text('change_note'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('procedure_versions_uq').on(t.procedureId, t.version),
    index('procedure_versions_in_force_idx').on(t.procedureId, t.effectiveFrom.desc(), t.version.desc()),
    index('procedure_versions_forms_idx').using('gin', t.formFileIds),
  ],
);

export const STEP_KINDS = ['receive', 'review', 'approve', 'transfer', 'decide', 'return'] as const;
// Who performs a step: the unit that received the dossier, its specialist department, the deciding
// unit of a two-level procedure, a named unit, or any unit of a level (resolved when the dossier moves).
export const STEP_UNIT_RULES = ['receiving_unit', 'receiving_department', 'deciding_unit', 'named_unit', 'level'] as const;
export const SHARE_KINDS = ['hours', 'fraction'] as const;

/** The internal process (quy trình nội bộ) of a procedure version: ordered steps with their share of the time limit. */
export const procedureProcessSteps = pgTable(
  'procedure_process_steps',
  {
    id: uuid('id').primaryKey(),
    versionId: uuid('version_id')
      .notNull()
      .references(() => procedureVersions.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id), // owner unit of the procedure
    position: integer('position').notNull(), // 1, 2, 3 …
    kind: text('kind', { enum: STEP_KINDS }).notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: ['admin', 'unit_admin', 'clerk', 'specialist', 'leader', 'deputy_leader', 'onestop_officer'] }).notNull(),
    unitRule: text('unit_rule', { enum: STEP_UNIT_RULES }).notNull(),
    targetUnitId: uuid('target_unit_id').references(() => units.id), // named_unit
    targetLevel: text('target_level', { enum: ['central', 'province', 'district', 'commune'] }), // level
    shareKind: text('share_kind', { enum: SHARE_KINDS }).notNull(),
    shareValue: doublePrecision('share_value').notNull(), // working hours, or a fraction of the time limit
  },
  (t) => [uniqueIndex('procedure_process_steps_uq').on(t.versionId, t.position)],
);
