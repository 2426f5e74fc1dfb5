import { index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Notification templates (mẫu thông báo) edited by administrators: one row per event and channel overrides the
 * built-in Vietnamese default (templates.ts). Deployment-wide reference data, so no unit_id.
 */
export const notificationTemplates = pgTable(
  'notification_templates',
  {
    event: text('event').notNull(),
    channel: text('channel', { enum: ['email', 'sms'] }).notNull(),
    subject: text('subject'),
    body: text('body').notNull(),
    updatedBy: uuid('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.event, t.channel] })],
);

/**
 * SMS handed to the provider. With the default logging provider this table is the "sent" box an administrator
 * reads to see what would have gone out; with a real provider it is the delivery record.
 */
export const smsMessages = pgTable(
  'sms_messages',
  {
    id: uuid('id').primaryKey(),
    unitId: uuid('unit_id'),
    dossierId: uuid('dossier_id'),
    phone: text('phone').notNull(),
    text: text('text').notNull(),
    provider: text('provider').notNull(),
    providerRef: text('provider_ref'),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sms_messages_sent_idx').on(t.sentAt), index('sms_messages_dossier_idx').on(t.dossierId)],
);
