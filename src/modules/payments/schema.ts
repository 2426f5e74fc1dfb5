import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** Fee payments of dossiers (phí, lệ phí): online through a provider, or cash recorded at the counter. */
export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey(),
    dossierId: uuid('dossier_id').notNull(),
    unitId: uuid('unit_id').notNull(), // receiving unit of the dossier
    provider: text('provider').notNull(), // 'test' (the test gateway), 'cash'
    providerRef: text('provider_ref').notNull(),
    amount: integer('amount').notNull(), // đồng
    status: text('status', { enum: ['pending', 'paid', 'failed', 'cancelled'] }).notNull(),
    receiptNumber: text('receipt_number'), // biên lai
    payerUserId: uuid('payer_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    lastCheckedAt: timestamp('last_checked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('payments_provider_ref_uq').on(t.provider, t.providerRef),
    index('payments_dossier_idx').on(t.dossierId),
    index('payments_pending_idx').on(t.createdAt).where(sql`${t.status} = 'pending'`),
  ],
);

/** Every callback a provider sent, valid or not (the reconciliation trail). */
export const paymentCallbacks = pgTable(
  'payment_callbacks',
  {
    id: uuid('id').primaryKey(),
    provider: text('provider').notNull(),
    providerRef: text('provider_ref'),
    body: jsonb('body').notNull(),
    valid: boolean('valid').notNull(),
    outcome: text('outcome').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('payment_callbacks_ref_idx').on(t.providerRef)],
);

/**
 * The test gateway's own book (cổng thanh toán thử nghiệm): what a real gateway keeps on its side, so that the
 * re-check job can query it like a real one. Used only by the `test` provider; never real money.
 */
export const testGatewayTransactions = pgTable('test_gateway_transactions', {
  ref: text('ref').primaryKey(),
  amount: integer('amount').notNull(),
  description: text('description').notNull(),
  status: text('status', { enum: ['pending', 'paid', 'cancelled'] }).notNull(),
  returnUrl: text('return_url').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  paidAt: timestamp('paid_at', { withTimezone: true }),
});
