import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { actorOf, requireUser } from '../../core/http/context.js';
import { problems } from '../../core/http/schemas.js';
import { notFound } from '../../core/errors/index.js';
import { registerFormParser } from '../portal/index.js';
import { type PaymentProvider, signCallback, TEST_GATEWAY_PATH } from './providers.js';
import { testGatewayTransactions } from './schema.js';
import { dossierPayments, handleCallback, type Payment, recordCashPayment, startOnlinePayment } from './service.js';

const tags = ['Thanh toán phí, lệ phí (payments)'];
const paymentSchema = z.object({
  id: z.string(),
  provider: z.string(),
  providerRef: z.string(),
  amount: z.number().int(),
  status: z.enum(['pending', 'paid', 'failed', 'cancelled']),
  receiptNumber: z.string().nullable(),
  createdAt: z.string(),
  paidAt: z.string().nullable(),
});
const present = (p: Payment) => ({ id: p.id, provider: p.provider, providerRef: p.providerRef, amount: p.amount, status: p.status, receiptNumber: p.receiptNumber, createdAt: p.createdAt.toISOString(), paidAt: p.paidAt?.toISOString() ?? null });
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const dong = (n: number) => `${n.toLocaleString('vi-VN')} đồng`;

export type PaymentRouteOptions = { provider: PaymentProvider; testSecret: string };

export const paymentRoutes = (opts: PaymentRouteOptions): FastifyPluginAsyncZod => async (app) => {
  const { provider } = opts;

  app.get('/api/dossiers/:id/payments', {
    schema: { tags, summary: 'Phí, lệ phí của hồ sơ và các lần thanh toán', params: z.object({ id: z.string().max(100) }), response: { 200: z.object({ feeAmount: z.number().nullable(), feeLabel: z.string().nullable(), payments: z.array(paymentSchema) }), ...problems(401, 404) } },
  }, async (req) => {
    const r = await dossierPayments(app.db, requireUser(req), req.params.id);
    return { feeAmount: r.feeAmount, feeLabel: r.feeLabel, payments: r.payments.map(present) };
  });

  app.post('/api/dossiers/:id/payments', {
    schema: {
      tags,
      summary: 'Thanh toán: trực tuyến (người nộp, trả về địa chỉ cổng thanh toán) hoặc tiền mặt tại quầy (cán bộ một cửa, có số biên lai)',
      params: z.object({ id: z.string().max(100) }),
      body: z.object({ method: z.enum(['online', 'cash']), returnUrl: z.string().max(500).regex(/^\/[^/]/, 'Địa chỉ quay lại phải là đường dẫn trong trang').optional() }),
      response: { 201: z.object({ payment: paymentSchema, redirectUrl: z.string().nullable() }), ...problems(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => {
    const p = requireUser(req);
    const ctx = actorOf(req, app.clock.now());
    if (req.body.method === 'cash') return reply.status(201).send({ payment: present(await recordCashPayment(app.db, p, req.params.id, ctx)), redirectUrl: null });
    const r = await startOnlinePayment(app.db, provider, p, req.params.id, req.body.returnUrl ?? '/ho-so-cua-toi', ctx);
    return reply.status(201).send({ payment: present(r.payment), redirectUrl: r.redirectUrl });
  });

  app.post('/api/payments/callback/:provider', {
    schema: {
      tags,
      summary: 'Thông báo kết quả từ cổng thanh toán (máy chủ gọi máy chủ; ký HMAC; gọi lại nhiều lần không đổi kết quả)',
      params: z.object({ provider: z.string().max(50) }),
      body: z.unknown(),
      response: { 200: z.object({ status: z.string(), duplicate: z.boolean() }), ...problems(400, 404) },
    },
  }, async (req) => {
    if (req.params.provider !== provider.name) throw notFound('Cổng thanh toán');
    return handleCallback(app.db, provider, req.body, actorOf(req, app.clock.now()));
  });

  if (provider.name !== 'test') return;
  registerFormParser(app, 10_000); // the gateway's own page posts a plain HTML form (this plugin's context only)

  // The test gateway's own pages — "Cổng thanh toán thử nghiệm", no real money. Plain HTML, no JavaScript.
  const page = (title: string, inner: string) =>
    `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}.warn{background:#fff1b8;border:1px solid #d4b106;padding:.75rem;border-radius:6px}button{font-size:1rem;padding:.6rem 1.2rem;margin-right:.5rem}</style></head>
<body><p class="warn"><strong>Cổng thanh toán thử nghiệm</strong> — chỉ dùng để thử, không có tiền thật được chuyển.</p>${inner}</body></html>`;

  app.get(`${TEST_GATEWAY_PATH}/:ref`, { schema: { hide: true, params: z.object({ ref: z.string().max(100) }) } }, async (req, reply) => {
    const [t] = await app.db.select().from(testGatewayTransactions).where(eq(testGatewayTransactions.ref, req.params.ref)).limit(1);
    if (!t) throw notFound('Giao dịch');
    const form = t.status === 'pending'
      ? `<form method="post" action="${TEST_GATEWAY_PATH}/${encodeURIComponent(t.ref)}"><button name="choice" value="pay">Thanh toán</button><button name="choice" value="cancel">Hủy</button></form>`
      : `<p>Giao dịch đã ${t.status === 'paid' ? 'thanh toán' : 'hủy'}.</p>`;
    return reply.type('text/html; charset=utf-8').send(page('Cổng thanh toán thử nghiệm', `<h1>Thanh toán</h1><p>${esc(t.description)}</p><p>Số tiền: <strong>${dong(t.amount)}</strong></p><p>Mã giao dịch: ${esc(t.ref)}</p>${form}`));
  });

  app.post(`${TEST_GATEWAY_PATH}/:ref`, {
    schema: { hide: true, params: z.object({ ref: z.string().max(100) }), body: z.object({ choice: z.enum(['pay', 'cancel']), loseCallback: z.string().optional() }) },
  }, async (req, reply) => {
    const now = app.clock.now();
    const [t] = await app.db.select().from(testGatewayTransactions).where(eq(testGatewayTransactions.ref, req.params.ref)).limit(1);
    if (!t) throw notFound('Giao dịch');
    if (t.status === 'pending') {
      const status = req.body.choice === 'pay' ? 'paid' : 'cancelled';
      await app.db.update(testGatewayTransactions).set({ status, paidAt: status === 'paid' ? now : null }).where(eq(testGatewayTransactions.ref, t.ref));
      // Server-to-server callback, as a gateway sends it; `loseCallback` lets tests play a lost one.
      if (!req.body.loseCallback) {
        const cb = { ref: t.ref, status: status === 'paid' ? 'paid' : 'failed', amount: t.amount };
        await app.inject({ method: 'POST', url: `/api/payments/callback/test`, payload: { ...cb, signature: signCallback(opts.testSecret, cb.ref, cb.status, cb.amount) } });
      }
    }
    return reply.redirect(t.returnUrl, 303);
  });
};
