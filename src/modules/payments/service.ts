import { and, asc, eq, lt, sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { AppError, conflict, forbidden } from '../../core/errors/index.js';
import { newId } from '../../core/ids/index.js';
import { type DossierEvent, performSystemAction, readableDossier } from '../dossiers/index.js';
import type { PaymentProvider } from './providers.js';
import { paymentCallbacks, payments } from './schema.js';

export type Payment = typeof payments.$inferSelect;

const openStatuses = [1, 2, 4, 5, 6, 9]; // fees can be paid while the dossier is alive

const dong = (n: number) => `${n.toLocaleString('vi-VN')} đồng`;

/** What the dossier's payments have paid so far (đồng). */
export async function paidAmount(db: Db, dossierId: string): Promise<number> {
  const [{ paid }] = await queryRows<{ paid: number }>(db, sql`SELECT coalesce(sum(amount), 0)::int AS paid FROM payments WHERE dossier_id = ${dossierId} AND status = 'paid'`);
  return paid;
}

/** The dossier and what is still to pay: its fee (set by the procedure, or by the officer's fee request) less what is paid. */
async function payableDossier(db: Db, p: Principal, dossierId: string) {
  const d = await readableDossier(db, p, dossierId);
  if (!openStatuses.includes(d.status)) throw conflict('Hồ sơ đã kết thúc, không thu phí.', 'dossier-closed');
  if (!d.feeAmount || d.feeAmount <= 0) throw conflict('Thủ tục này không thu phí, lệ phí.', 'no-fee');
  const outstanding = d.feeAmount - (await paidAmount(db, d.id));
  if (outstanding <= 0) throw conflict('Hồ sơ đã nộp đủ phí, lệ phí.', 'already-paid');
  return { ...d, outstanding };
}

/**
 * A payment became paid: when the fee is now paid in full and the dossier waits for it (status 6), the dossier
 * goes back where it was and its clock resumes — the dossiers module's `fee-paid` action, in this transaction.
 */
async function resumeDossierIfPaid(tx: Db, payment: Payment, ctx: ActorContext): Promise<void> {
  const [d] = await queryRows<{ fee_amount: number | null }>(tx, sql`SELECT fee_amount FROM dossiers WHERE id = ${payment.dossierId}`);
  if (!d || (await paidAmount(tx, payment.dossierId)) < (d.fee_amount ?? 0)) return;
  const how = payment.provider === 'cash' ? 'tiền mặt tại Bộ phận Một cửa' : 'trực tuyến';
  await performSystemAction(tx, payment.dossierId, 'fee-paid', { reason: `Đã nộp ${dong(payment.amount)} phí, lệ phí (${how}), biên lai số ${payment.receiptNumber}.` }, ctx);
}

/**
 * The officer's `fee-paid` for a payment made outside LienThong (the reason names the receipt, e.g. the treasury's):
 * the rest of the fee is booked as paid ('external'), so that nobody is asked to pay it again.
 */
export async function bookExternalPayment(tx: Db, e: DossierEvent): Promise<void> {
  if (e.action.action !== 'fee-paid' || e.action.actorKind !== 'official') return;
  const outstanding = (e.dossier.feeAmount ?? 0) - (await paidAmount(tx, e.dossier.id));
  if (outstanding <= 0) return;
  await tx.insert(payments).values({
    id: newId(), dossierId: e.dossier.id, unitId: e.dossier.unitId, provider: 'external', providerRef: e.action.id, amount: outstanding, status: 'paid',
    receiptNumber: (e.action.reason ?? '').slice(0, 200), payerUserId: null, createdAt: e.action.at, updatedAt: e.action.at, paidAt: e.action.at,
  });
}

/** Receipt number (số biên lai): per receiving unit and year, from the payments already paid. */
async function receiptNumber(tx: Db, unitId: string, now: Date): Promise<string> {
  const year = new Date(now.getTime() + 7 * 3600_000).getUTCFullYear();
  await tx.execute(sql`SELECT pg_advisory_xact_lock(724102, hashtext(${`${unitId}:${year}`}))`);
  const [{ n }] = await queryRows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM payments WHERE unit_id = ${unitId} AND status = 'paid' AND receipt_number LIKE ${`BL${year}-%`}`);
  return `BL${year}-${String(n + 1).padStart(6, '0')}`;
}

/** The applicant starts an online payment: a pending row and the gateway's address to send them to. */
export async function startOnlinePayment(db: Db, provider: PaymentProvider, p: Principal, dossierId: string, returnUrl: string, ctx: ActorContext): Promise<{ payment: Payment; redirectUrl: string }> {
  const d = await payableDossier(db, p, dossierId);
  if (p.kind !== 'citizen' || (d.applicantUserId !== p.userId && d.createdBy !== p.userId)) throw forbidden('Chỉ người nộp hồ sơ thanh toán trực tuyến.');
  return inTransaction(db, async (tx) => {
    const ref = `LT${Date.now().toString(36).toUpperCase()}${newId().slice(-6).toUpperCase()}`;
    const [payment] = await tx
      .insert(payments)
      .values({ id: newId(), dossierId: d.id, unitId: d.unitId, provider: provider.name, providerRef: ref, amount: d.outstanding, status: 'pending', payerUserId: p.userId, createdAt: ctx.now, updatedAt: ctx.now })
      .returning();
    const { redirectUrl } = await provider.create(tx, { ref, amount: d.outstanding, description: `Phí, lệ phí hồ sơ ${d.code ?? ''}`.trim(), returnUrl }, ctx.now);
    await writeAudit(tx, ctx, { action: 'payment.start', objectType: 'dossier', objectId: d.id, unitId: d.unitId, summary: { ref, amount: d.outstanding, provider: provider.name } });
    return { payment, redirectUrl };
  });
}

/** The one-stop officer records a cash payment at the counter, with its receipt number. */
export async function recordCashPayment(db: Db, p: Principal, dossierId: string, ctx: ActorContext): Promise<Payment> {
  const d = await payableDossier(db, p, dossierId);
  const [unit] = await queryRows<{ path: string }>(db, sql`SELECT path FROM units WHERE id = ${d.unitId}`);
  const desk = p.kind === 'official' && !!unit && p.roles.some((r) => r.role === 'onestop_officer' && unit.path.startsWith(r.unitPath));
  if (!desk) throw forbidden('Chỉ cán bộ Bộ phận Một cửa của nơi tiếp nhận ghi nhận thu tiền mặt.');
  return inTransaction(db, async (tx) => {
    const receipt = await receiptNumber(tx, d.unitId, ctx.now);
    const [payment] = await tx
      .insert(payments)
      .values({ id: newId(), dossierId: d.id, unitId: d.unitId, provider: 'cash', providerRef: receipt, amount: d.outstanding, status: 'paid', receiptNumber: receipt, payerUserId: null, createdAt: ctx.now, updatedAt: ctx.now, paidAt: ctx.now })
      .returning();
    await writeAudit(tx, ctx, { action: 'payment.cash', objectType: 'dossier', objectId: d.id, unitId: d.unitId, summary: { receipt, amount: d.outstanding } });
    await resumeDossierIfPaid(tx, payment, ctx);
    return payment;
  });
}

/** Settles a pending payment with the provider's word; idempotent: a settled payment is left as it is. */
async function settle(tx: Db, payment: Payment, status: 'paid' | 'failed', ctx: ActorContext, via: string): Promise<Payment> {
  const [locked] = await tx.select().from(payments).where(eq(payments.id, payment.id)).for('update');
  if (locked.status !== 'pending') return locked;
  const receipt = status === 'paid' ? await receiptNumber(tx, locked.unitId, ctx.now) : null;
  const [row] = await tx
    .update(payments)
    .set({ status, receiptNumber: receipt, paidAt: status === 'paid' ? ctx.now : null, updatedAt: ctx.now })
    .where(eq(payments.id, locked.id))
    .returning();
  await writeAudit(tx, ctx, { action: `payment.${status}`, objectType: 'dossier', objectId: locked.dossierId, unitId: locked.unitId, summary: { ref: locked.providerRef, amount: locked.amount, receipt, via } });
  if (row.status === 'paid') await resumeDossierIfPaid(tx, row, ctx);
  return row;
}

export class CallbackRejected extends AppError {
  constructor(detail: string) {
    super(400, 'payment-callback-rejected', 'Thông báo thanh toán không hợp lệ', detail);
  }
}

/**
 * A provider's callback: logged whatever it says; refused when the signature or the amount is wrong; the same
 * callback twice changes nothing.
 */
export async function handleCallback(db: Db, provider: PaymentProvider, body: unknown, ctx: ActorContext): Promise<{ status: Payment['status']; duplicate: boolean }> {
  const result = provider.verifyCallback(body);
  const log = (ref: string | null, valid: boolean, outcome: string) =>
    db.insert(paymentCallbacks).values({ id: newId(), provider: provider.name, providerRef: ref, body: (body ?? null) as object, valid, outcome, receivedAt: ctx.now });
  if (!result) {
    await log(typeof (body as { ref?: unknown })?.ref === 'string' ? (body as { ref: string }).ref : null, false, 'bad-signature');
    throw new CallbackRejected('Chữ ký của cổng thanh toán không đúng.');
  }
  // Decided and logged in one transaction; a refusal is thrown only after its log row is committed.
  const outcome = await inTransaction(db, async (tx) => {
    const logTx = (valid: boolean, what: string) =>
      tx.insert(paymentCallbacks).values({ id: newId(), provider: provider.name, providerRef: result.ref, body: (body ?? null) as object, valid, outcome: what, receivedAt: ctx.now });
    const [payment] = await tx.select().from(payments).where(and(eq(payments.provider, provider.name), eq(payments.providerRef, result.ref))).limit(1);
    if (!payment) {
      await logTx(false, 'unknown-ref');
      return { refused: 'Không có giao dịch với mã này.' as string, status: null, duplicate: false };
    }
    if (result.amount !== payment.amount) {
      await logTx(false, 'amount-mismatch');
      return { refused: 'Số tiền không khớp với giao dịch.' as string, status: null, duplicate: false };
    }
    const duplicate = payment.status !== 'pending';
    const row = duplicate ? payment : await settle(tx, payment, result.status, ctx, 'callback');
    await logTx(true, duplicate ? 'duplicate' : result.status);
    return { refused: null, status: row.status, duplicate };
  });
  if (outcome.refused !== null || outcome.status === null) throw new CallbackRejected(outcome.refused ?? 'Không xử lý được thông báo.');
  return { status: outcome.status, duplicate: outcome.duplicate };
}

/** The re-check job: pending payments older than `olderThanMs` are asked about; a lost callback is caught up. */
export async function recheckPending(db: Db, provider: PaymentProvider, ctx: ActorContext, olderThanMs = 2 * 60_000): Promise<number> {
  const due = await db
    .select()
    .from(payments)
    .where(and(eq(payments.status, 'pending'), eq(payments.provider, provider.name), lt(payments.createdAt, new Date(ctx.now.getTime() - olderThanMs))))
    .orderBy(asc(payments.createdAt))
    .limit(100);
  let settled = 0;
  for (const p of due) {
    const answer = await provider.query(db, p.providerRef);
    await db.update(payments).set({ lastCheckedAt: ctx.now }).where(eq(payments.id, p.id));
    if (!answer || answer.status === 'pending') continue;
    if (answer.amount !== p.amount) continue; // left for a person to look at; the callback trail shows it
    await inTransaction(db, (tx) => settle(tx, p, answer.status === 'paid' ? 'paid' : 'failed', ctx, 're-check'));
    settled++;
  }
  return settled;
}

export async function dossierPayments(db: Db, p: Principal, dossierId: string): Promise<{ feeAmount: number | null; feeLabel: string | null; payments: Payment[] }> {
  const d = await readableDossier(db, p, dossierId);
  const rows = await db.select().from(payments).where(eq(payments.dossierId, d.id)).orderBy(asc(payments.createdAt));
  return { feeAmount: d.feeAmount, feeLabel: d.feeLabel, payments: rows };
}
