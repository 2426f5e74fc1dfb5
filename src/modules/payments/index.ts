// Fee payments of dossiers (thanh toán phí, lệ phí): a provider interface, the test gateway, cash at the
// counter with receipt numbers, an idempotent signed callback and a re-check job for lost callbacks.
export { paymentRoutes, type PaymentRouteOptions } from './routes.js';
export { payments, paymentCallbacks, testGatewayTransactions } from './schema.js';
export { type PaymentProvider, signCallback, testGateway, TEST_GATEWAY_PATH } from './providers.js';
export { dossierPayments, handleCallback, recheckPending, recordCashPayment, startOnlinePayment, type Payment } from './service.js';

import { onDossierAction, registerPaidAmount } from '../dossiers/index.js';
import { bookExternalPayment, paidAmount } from './service.js';

registerPaidAmount(paidAmount);
onDossierAction(bookExternalPayment);
