// The procedure catalogue's public face (thủ tục hành chính): other modules use these, never the files behind them.
import { registerFileAccess } from '../files/index.js';
import { isProcedureForm } from './read.js';

// Form templates are public: anyone signed in may also read them through /api/files/{id}.
registerFileAccess((db, _p, file) => isProcedureForm(db, file.id));

// A dossier stores `procedureVersions.id` (the version in force when it was received) and follows that
// version's `process` (ordered steps, each with a role, a unit rule and its share of the time limit).
export { procedures, procedureVersions, procedureProcessSteps } from './schema.js';
export {
  procedureVersionAt,
  procedureVersionById,
  procedureVersions as listProcedureVersions,
  findProcedure,
  listProcedures,
  procedureFields,
  isProcedureForm,
  type ProcedureVersion,
  type StoredProcessStep,
  type ProcedureRow,
  type ProcedureListItem,
  type OnlineLevel,
} from './read.js';
export type { ProcedureRecord, ProcedureCase, RequiredDocument, ChannelOffer, Channel, UnitLevel } from './record.js';
export { type Duration, durationLabel, workingHoursOf } from './duration.js';
export { type Fee, computeFee, feeLabel, formatDong } from './fees.js';
export { type ProcessStep, type StepKind, type StepRole, type StepUnitRule, stepHours } from './process.js';
export { procedureRoutes } from './routes.js';
export { seedDemoProcedures, renderFormPdf } from './demo.js';
