// The documents module's public face: what other modules (work files, exchange, signing, reports) may use.
import { registerFileAccess } from '../files/index.js';
import { documentFileAccess } from './files-access.js';

registerFileAccess(documentFileAccess);

export { documentRoutes } from './routes.js';
export { documents, documentTypes, documentFiles, assignments, documentEvents, registerBooks, URGENCIES, SECRECIES } from './schema.js';
export { readableDocument, findDocument, canRead, readCondition, unitIdsFor, lockDocument, type DocumentRow } from './visibility.js';
export { recordStep, type DocumentAction } from './events.js';
export { presentSummary, numberSymbolOf, typeName } from './detail.js';
export { documentSummarySchema, documentDetailSchema, isoDate, type DocumentSummary, type DocumentDetail } from './api.js';
export { foldText, buildSearchText, toTsQuery } from './text.js';
export { dateLine, placeName, renderNumberSymbol, formatDate } from './symbols.js';
export { deadlineState, type DeadlineState } from './deadlines.js';
export { localDate, localYear } from './numbering.js';
export { tableXlsx } from './registers.js'; // titled .xlsx tables, shared with the one-stop statistics
export { startDigestScheduler, runDigest } from './digest.js';
export { seedDemoDocuments } from './demo.js';
