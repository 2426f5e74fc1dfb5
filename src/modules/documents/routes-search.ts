import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

// HTTP routes for search documents (filled in by the search work).
export const searchRoutes: FastifyPluginAsyncZod = async () => undefined;
