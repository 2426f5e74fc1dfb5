import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

// HTTP routes for outgoing documents (filled in by the outgoing work).
export const outgoingRoutes: FastifyPluginAsyncZod = async () => undefined;
