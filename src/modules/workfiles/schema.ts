import { sql } from 'drizzle-orm';
import { integer, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { units } from '../directory/schema.js';
import { documents } from '../documents/schema.js';

/** Work files (hồ sơ công việc) opened from the unit's yearly file list (danh mục hồ sơ). */
export const workFiles = pgTable(
  'work_files',
  {
    id: uuid('id').primaryKey(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    year: integer('year').notNull(),
    notation: text('notation').notNull(), // ký hiệu hồ sơ, e.g. '01.TCCB'
    title: text('title').notNull(),
    retentionYears: integer('retention_years'), // null = Vĩnh viễn
    // planned (in the yearly list) → open → closed (frozen; a leader may reopen) → transferred (nộp lưu: handed to the archive).
    status: text('status', { enum: ['planned', 'open', 'closed', 'transferred'] }).notNull(),
    ownerUserId: uuid('owner_user_id'), // người lập hồ sơ
    createdBy: uuid('created_by').notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    transferredAt: timestamp('transferred_at', { withTimezone: true }), // handed to the agency archive (lưu trữ cơ quan)
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('work_files_unit_year_notation_uq').on(t.unitId, t.year, t.notation),
    // Closed files awaiting transfer to the archive (the reminder query).
    index('work_files_transfer_idx').on(t.unitId, t.closedAt).where(sql`${t.status} = 'closed'`),
  ],
);

/** One document may sit in several files without being copied. */
export const workFileDocuments = pgTable(
  'work_file_documents',
  {
    workFileId: uuid('work_file_id')
      .notNull()
      .references(() => workFiles.id),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id),
    addedBy: uuid('added_by').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workFileId, t.documentId] }), index('work_file_documents_doc_idx').on(t.documentId)],
);
