// The directory module's public face: other modules use these, never the files behind them.
export { loadSession, loadPrincipal } from './principal.js';
export { seedDemo, hasDemoData, DEMO_PASSWORD, DEMO_OFFICIALS, DEMO_CITIZEN } from './demo.js';
export { directoryRoutes } from './routes.js';
export { findUnit, readableUnit, scopeCondition, type Unit, type UnitRow } from './units.js';
export { citizenIdNumber, createCitizen, citizenInputProblems, type CitizenInput } from './citizens.js';
export { units, officials, roleAssignments, citizens, ROLES } from './schema.js';
export { agencyCodeProblem, idNumberProblem } from './validation.js';
export { bootstrapAdmin } from './bootstrap.js';
