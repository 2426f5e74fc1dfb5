// The public portal's public face (cổng dịch vụ công): its routes for app.ts, and the satisfaction
// ratings other modules (statistics) read.
export { portalRoutes } from './routes.js';
export type { PortalOptions } from './web.js';
export { dossierRatings } from './schema.js';
export { ratingSummary, ratingOf, rateDossier, type Rating, type RatingInput, type RatingSummary } from './ratings.js';
export { INDICATORS, LEVELS, MAX_TOTAL, type Indicator } from './indicators.js';
export { registerFormParser, type FormFields } from './web.js';
