import { bigserial, index, jsonb, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Append-only, hash-chained audit log. A trigger (migration 0001) rejects UPDATE, DELETE and TRUNCATE;
 * each row carries the hash of the previous one so that tampering by a superuser is still detectable.
 * No foreign keys on purpose: the log must outlive what it describes.
 * The log is AUDIT_CHAINS parallel chains (chosen by the record's unit, see core/audit), each under its own
 * lock, so that writes of different units do not queue behind one lock; rows from before 0009 are chain 0.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: uuid('id').notNull().unique(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    unitId: uuid('unit_id'),
    action: text('action').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id'),
    summary: jsonb('summary').notNull(),
    requestId: text('request_id'),
    ip: text('ip'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    chain: smallint('chain').notNull().default(0),
  },
  (t) => [
    index('audit_at_idx').on(t.at),
    index('audit_object_idx').on(t.objectType, t.objectId),
    index('audit_actor_idx').on(t.actorId),
    index('audit_unit_idx').on(t.unitId),
    index('audit_chain_idx').on(t.chain, t.seq),
  ],
);
