// The dossiers module's public face (hồ sơ một cửa): what other modules (public pages, notifications,
// statistics, payment) may use. Every change of a dossier appends a row to `dossier_actions` and calls
// the `onDossierAction` listeners in the same transaction (enqueue outbox rows there).
import { registerFileAccess } from '../files/index.js';
import { dossierFileAccess } from './files.js';

registerFileAccess(dossierFileAccess);

export { dossierRoutes, PUBLIC_URL_KEY, type DossierRouteOptions } from './routes.js';
export { dossiers, dossierActions, dossierFiles, dossierUnits, dossierCodeCounters, type Applicant } from './schema.js';
export { STATUS, STATUS_LABELS, STATUS_CODES, CHANNELS, CHANNEL_LABELS, RETURN_METHODS, type StatusCode, type Channel, type ReturnMethod } from './status.js';
export { ACTIONS, ACTION_LABELS, TRANSITIONS, transitionFor, type DossierAction, type Transition, type FormNumber } from './transitions.js';
export { onDossierAction, type DossierEvent, type DossierListener, type DossierRow, type ActionRow } from './log.js';
export { createDossier, updateDraft, type CreateInput, type DraftPatch } from './reception.js';
export { performAction, performSystemAction, allowedActions } from './actions.js';
export { registerPaidAmount, type PaidAmount } from './exceptions.js';
export type { ActionInput } from './handler.js';
export { readableDossier, readableCondition, findDossier } from './policy.js';
export { presentDossier, dueState, type DossierDetail } from './read.js';
export { listDossiers, dossierCounts, type Box, type DossierItem } from './lists.js';
export { publicLookup, maskName, type PublicDossier } from './public.js';
export { renderDossierForm, lookupUrl } from './forms-data.js';
export { formatDossierCode, DOSSIER_CODE } from './code.js';
export { formatDateTime, formatDay } from './time.js';
