// One-stop statistics (thống kê một cửa): routes for the app, the rates for the dashboard.
export { statisticsRoutes } from './routes.js';
export { dossierRates, dossierStatistics, reportScope, GROUPINGS, type DossierStatistics, type Grouping } from './service.js';
export type { Figures } from './figures.js';
