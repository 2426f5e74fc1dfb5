import { bigint, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Stored files. Content lives in the content-addressed file store under its SHA-256. */
export const files = pgTable('files', {
  id: uuid('id').primaryKey(),
  sha256: text('sha256').notNull(),
  size: bigint('size', { mode: 'number' }).notNull(),
  contentType: text('content_type').notNull(),
  name: text('name').notNull(),
  unitId: uuid('unit_id'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
