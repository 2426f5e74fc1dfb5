// The work files module's public face (hồ sơ công việc): routes for the app, a few reads for other modules.
export { workFileRoutes } from './routes.js';
export { workFiles, workFileDocuments } from './schema.js';
export { reachableWorkFile, type WorkFileRow, type WorkFileStatus } from './access.js';
export { listWorkFiles, type WorkFile } from './service.js';
export { visibleDocuments, type FiledDocument } from './contents.js';
export { transferDue, transferMonthsOf } from './transfer.js';
export { notationProblem, normalizeNotation, retentionLabel, transferState } from './rules.js';
