import compress from '@fastify/compress';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { registerAccountPages } from './account-pages.js';
import { CSS, CSS_URL, JS, JS_URL } from './assets.js';
import { registerCataloguePages } from './catalogue-pages.js';
import { registerPageErrors } from './errors.js';
import { registerLookupPages } from './lookup-pages.js';
import { registerMyDossierPages } from './mine-pages.js';
import { registerRatingPages } from './rating-pages.js';
import { ratingRoutes } from './ratings-routes.js';
import { registerSubmitPages } from './submit-pages.js';
import { type PortalOptions, registerFormParser, registerPortalSession } from './web.js';

/**
 * The citizens' public portal: server-rendered pages (no SPA, usable without JavaScript), gzip-
 * compressed in their own encapsulated context (the API and the staff app are not affected), plus the
 * JSON API of the satisfaction ratings.
 */
export const portalRoutes = (opts: PortalOptions): FastifyPluginAsync => async (app) => {
  await app.register(ratingRoutes);
  await app.register(async (pages: FastifyInstance) => {
    await pages.register(compress, { global: true, encodings: ['gzip'], threshold: 512 });
    registerFormParser(pages, 64 * 1024);
    registerPortalSession(pages, opts);
    registerPageErrors(pages);
    const asset = (url: string, type: string, body: string) =>
      pages.get(url, { schema: { hide: true } }, async (_req, reply) => reply.type(type).header('cache-control', 'public, max-age=31536000, immutable').send(body));
    asset(CSS_URL, 'text/css; charset=utf-8', CSS);
    asset(JS_URL, 'application/javascript; charset=utf-8', JS);
    registerCataloguePages(pages);
    registerLookupPages(pages, opts);
    registerAccountPages(pages, opts);
    registerMyDossierPages(pages, opts);
    registerSubmitPages(pages, opts);
    registerRatingPages(pages, opts);
  });
};
