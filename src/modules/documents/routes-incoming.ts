import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

// HTTP routes for incoming documents (filled in by the incoming work).
export const incomingRoutes: FastifyPluginAsyncZod = async () => undefined;
