import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../../core/auth/schema.js';
import { files } from '../../core/files/schema.js';
import { units } from '../directory/schema.js';
import { procedures, procedureVersions } from '../procedures/schema.js';

/** The applicant as written on the dossier (a snapshot: the citizen's account may change later). */
export type Applicant = { name: string; idNumber: string | null; phone: string | null; email: string | null; address: string | null };
export type PauseInterval = { from: string; to: string | null };

/**
 * Dossiers (hồ sơ thủ tục hành chính). The current state lives on the row and is changed only in the
 * same transaction that appends the action to `dossier_actions` (the history, append-only).
 */
export const dossiers = pgTable(
  'dossiers',
  {
    id: uuid('id').primaryKey(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id), // the receiving unit (its one-stop desk returns the result)
    currentUnitId: uuid('current_unit_id')
      .notNull()
      .references(() => units.id), // the unit handling it now (the deciding unit after a transfer)
    procedureId: uuid('procedure_id')
      .notNull()
      .references(() => procedures.id),
    procedureVersionId: uuid('procedure_version_id')
      .notNull()
      .references(() => procedureVersions.id), // the version in force when received; kept for life
    caseKey: text('case_key'), // trường hợp of the procedure version
    channel: text('channel', { enum: ['counter', 'online', 'post'] }).notNull(),
    code: text('code'), // mã hồ sơ, given on reception
    status: smallint('status').notNull(), // national codes 1–10; 0 = online draft
    applicantUserId: uuid('applicant_user_id').references(() => users.id), // the citizen's account, when there is one
    applicant: jsonb('applicant').$type<Applicant>().notNull(),
    applicantName: text('applicant_name').notNull(),
    applicantIdNumber: text('applicant_id_number'),
    formData: jsonb('form_data').$type<Record<string, unknown>>(), // the online form's fields (tờ khai)
    submittedAt: timestamp('submitted_at', { withTimezone: true }), // online: sent to the desk
    acceptBy: timestamp('accept_by', { withTimezone: true }), // online: the desk must accept or refuse by then (8 working hours)
    receivedAt: timestamp('received_at', { withTimezone: true }),
    timeLimit: jsonb('time_limit').$type<Record<string, unknown>>(), // the Duration the due date was computed with
    firstDueAt: timestamp('first_due_at', { withTimezone: true }), // the appointment printed on form 01
    dueAt: timestamp('due_at', { withTimezone: true }), // current due date (shared by every unit of a transfer)
    pausedAt: timestamp('paused_at', { withTimezone: true }), // waiting for a supplement since
    pausedFromStatus: smallint('paused_from_status'),
    pauses: jsonb('pauses').$type<PauseInterval[]>().notNull().default(sql`'[]'::jsonb`),
    supplementDeadline: timestamp('supplement_deadline', { withTimezone: true }),
    apologizedAt: timestamp('apologized_at', { withTimezone: true }), // form 04 issued (only once)
    stepPosition: integer('step_position'), // internal process step now
    stepName: text('step_name'),
    stepStartedAt: timestamp('step_started_at', { withTimezone: true }),
    stepDueAt: timestamp('step_due_at', { withTimezone: true }),
    holderUserId: uuid('holder_user_id').references(() => users.id), // handled by this person …
    holderUnitId: uuid('holder_unit_id').references(() => units.id), // … or by this unit (its members with the step's role)
    holderRole: text('holder_role'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    returnedAt: timestamp('returned_at', { withTimezone: true }),
    returnMethod: text('return_method', { enum: ['counter', 'post', 'online'] }), // chosen on reception, confirmed on return
    resultFileId: uuid('result_file_id').references(() => files.id),
    feeAmount: integer('fee_amount'), // đồng
    feeLabel: text('fee_label'),
    closedAt: timestamp('closed_at', { withTimezone: true }), // refused, withdrawn, stopped or returned
    createdBy: uuid('created_by').references(() => users.id),
    creationKey: text('creation_key'), // the creator's Idempotency-Key: a repeated POST returns the same dossier
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('dossiers_code_uq').on(t.code),
    uniqueIndex('dossiers_creation_key_uq').on(t.createdBy, t.creationKey).where(sql`${t.creationKey} is not null`),
    index('dossiers_current_status_idx').on(t.currentUnitId, t.status, t.dueAt),
    index('dossiers_holder_idx').on(t.holderUserId, t.status).where(sql`${t.holderUserId} is not null`),
    index('dossiers_holder_unit_idx').on(t.holderUnitId, t.status).where(sql`${t.holderUnitId} is not null`),
    index('dossiers_desk_idx').on(t.unitId, t.status, t.acceptBy),
    index('dossiers_received_idx').on(t.unitId, t.receivedAt),
    index('dossiers_applicant_idx').on(t.applicantUserId, t.createdAt).where(sql`${t.applicantUserId} is not null`),
    index('dossiers_applicant_id_number_idx').on(t.applicantIdNumber),
  ],
);

/** Every unit that has taken part in a dossier (receiving, processing, deciding): they all see its whole history. */
export const dossierUnits = pgTable(
  'dossier_units',
  {
    dossierId: uuid('dossier_id')
      .notNull()
      .references(() => dossiers.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    part: text('part', { enum: ['receiving', 'processing', 'deciding'] }).notNull(),
    since: timestamp('since', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.dossierId, t.unitId] }), index('dossier_units_unit_idx').on(t.unitId, t.dossierId)],
);

/** Files of a dossier: the checklist's scans, supplements, the result document. */
export const dossierFiles = pgTable(
  'dossier_files',
  {
    id: uuid('id').primaryKey(),
    dossierId: uuid('dossier_id')
      .notNull()
      .references(() => dossiers.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    fileId: uuid('file_id')
      .notNull()
      .references(() => files.id),
    kind: text('kind', { enum: ['document', 'supplement', 'result', 'result_source'] }).notNull(), // result_source: the unsigned upload of a sealed result
    documentIndex: integer('document_index'), // which required document of the case (0-based), when known
    documentName: text('document_name'),
    actionId: uuid('action_id'), // the action that added it
    addedBy: uuid('added_by').references(() => users.id),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('dossier_files_dossier_idx').on(t.dossierId), index('dossier_files_file_idx').on(t.fileId)],
);

/**
 * The history of a dossier, append-only (a trigger refuses UPDATE and DELETE): who did what, when,
 * from which status to which, the step and hand-over, the reason, the form issued, the client's
 * idempotency key. Other modules (notifications, statistics) read it as the dossier's event stream.
 */
export const dossierActions = pgTable(
  'dossier_actions',
  {
    id: uuid('id').primaryKey(),
    dossierId: uuid('dossier_id')
      .notNull()
      .references(() => dossiers.id),
    seq: integer('seq').notNull(), // 1, 2, 3 … per dossier
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id), // the unit where the action happened
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    actorName: text('actor_name'),
    actorKind: text('actor_kind', { enum: ['official', 'citizen', 'system'] }).notNull(),
    action: text('action').notNull(),
    fromStatus: smallint('from_status'),
    toStatus: smallint('to_status').notNull(),
    stepPosition: integer('step_position'),
    stepName: text('step_name'),
    toUserId: uuid('to_user_id').references(() => users.id),
    toUserName: text('to_user_name'),
    toUnitId: uuid('to_unit_id').references(() => units.id),
    toUnitName: text('to_unit_name'),
    stepDueAt: timestamp('step_due_at', { withTimezone: true }), // due time of the step handed over
    // How the step that this action ends was done, against its due time (form 06).
    stepOutcome: text('step_outcome', { enum: ['early', 'on_time', 'late'] }),
    reason: text('reason'), // shown to the applicant (refusal, supplement, apology, stop, withdrawal)
    note: text('note'), // officers' internal note, never public
    formNumber: text('form_number'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
    idempotencyKey: text('idempotency_key'),
  },
  (t) => [
    uniqueIndex('dossier_actions_seq_uq').on(t.dossierId, t.seq),
    uniqueIndex('dossier_actions_idempotency_uq').on(t.dossierId, t.idempotencyKey).where(sql`${t.idempotencyKey} is not null`),
    index('dossier_actions_unit_at_idx').on(t.unitId, t.at),
  ],
);

/** Code counters: the last number given per receiving unit and local day. */
export const dossierCodeCounters = pgTable(
  'dossier_code_counters',
  {
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    day: date('day').notNull(),
    lastNumber: integer('last_number').notNull(),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.day] })],
);
