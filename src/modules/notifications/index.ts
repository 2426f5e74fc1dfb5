// Notifications to citizens (thông báo): every change of a dossier that is news to the applicant goes out by
// e-mail (core/mail) and SMS (a provider chosen by configuration), through the outbox, from templates
// administrators edit. Importing this module subscribes it to the dossiers' action log.
import { onDossierAction } from '../dossiers/index.js';
import { notifyApplicant } from './service.js';

onDossierAction(notifyApplicant);

export { notificationRoutes } from './routes.js';
export { notificationTemplates, smsMessages } from './schema.js';
export { createSmsHandler, createSmsProvider, enqueueSms, normalizePhone, SMS_KIND, type SmsConfig, type SmsProvider } from './sms.js';
export { EVENTS, eventFor, render, VARIABLES, type EventKey } from './templates.js';
export { listTemplates, notifyApplicant, saveTemplate, templateFor } from './service.js';
