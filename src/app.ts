import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Config } from './config.js';
import { type Clock, systemClock } from './core/clock/index.js';
import { type Database, migrateDatabase, openDatabase } from './core/db/index.js';
import { AppError } from './core/errors/index.js';
import { type FileStore, localFileStore } from './core/files/index.js';
import { registerAuthHook } from './core/http/auth-hook.js';
import './core/http/context.js';
import { registerProblemHandlers, sendProblem } from './core/http/problem.js';
import { registerSecurityHeaders } from './core/http/security-headers.js';
import { registerMetrics } from './core/metrics/index.js';
import { accountRoutes } from './modules/account/routes.js';
import { administrationRoutes } from './modules/administration/routes.js';
import { directoryRoutes, loadSession } from './modules/directory/index.js';
import { documentRoutes } from './modules/documents/index.js';
import { fileRoutes } from './modules/files/index.js';
import { setupSigning, signingRoutes } from './modules/signing/index.js';
import { workFileRoutes } from './modules/workfiles/index.js';
import { calendarRoutes } from './modules/calendar/index.js';
import { procedureRoutes } from './modules/procedures/index.js';
import { dossierRoutes } from './modules/dossiers/index.js';
import { portalRoutes } from './modules/portal/index.js';
import { statisticsRoutes } from './modules/statistics/index.js';
import { notificationRoutes } from './modules/notifications/index.js';
import { paymentRoutes, testGateway } from './modules/payments/index.js';

export type AppOptions = {
  config: Config;
  clock?: Clock;
  /** An already opened (and migrated) database; otherwise one is opened from the config and migrated. */
  database?: Database;
  fileStore?: FileStore;
  logger?: boolean;
};

export type LienThongApp = FastifyInstance & { database: Database; fileStore: FileStore; config: Config };

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export async function buildApp(opts: AppOptions): Promise<LienThongApp> {
  const { config } = opts;
  const ownsDb = !opts.database;
  const database = opts.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: config.databasePoolMax }));
  if (ownsDb) await migrateDatabase(database);
  // Stored signing keys need SIGNING_KEY: refuse to start now rather than fail at the first signature.
  const signing = await setupSigning(database.db, config).catch(async (err: unknown) => {
    if (ownsDb) await database.close();
    throw err;
  });
  const fileStore = opts.fileStore ?? localFileStore(path.join(config.dataDir, 'files'));

  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'] },
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
    // Errors raised by the router itself (before any route runs) are problem+json like all others.
    frameworkErrors: (err, req, reply) => {
      const e =
        err.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? new AppError(414, 'uri-too-long', 'Đường dẫn quá dài', 'Một tham số trong đường dẫn dài quá mức cho phép.')
          : new AppError(400, 'bad-url', 'Đường dẫn không hợp lệ', 'Đường dẫn chứa ký tự mã hoá sai.');
      void sendProblem(reply, req, e);
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('db', database.db);
  app.decorate('clock', opts.clock ?? systemClock);
  app.decorate('database', database);
  app.decorate('fileStore', fileStore);
  app.decorate('config', config);
  app.decorate('signing', signing);
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  // Graceful shutdown: once closing starts, in-flight responses end their keep-alive connection,
  // so the server can finish them and stop instead of waiting on idle sockets.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_req, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  if (ownsDb) app.addHook('onClose', async () => database.close());

  registerProblemHandlers(app);
  await app.register(cookie);
  registerSecurityHeaders(app, { https: config.cookieSecure });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => new AppError(429, 'rate-limited', 'Quá nhiều yêu cầu', `Vui lòng thử lại sau ${Math.ceil(ctx.ttl / 1000)} giây.`),
  });
  await app.register(multipart, { limits: { fileSize: config.uploadLimit, files: 1, fields: 20, parts: 25 }, throwFileSizeLimit: true });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'LienThong API', version: config.version, description: 'Nền tảng chính quyền điện tử LienThong. Lỗi trả về dạng RFC 9457 application/problem+json.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'lt_session' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
  });

  const policy = { ttlMs: config.sessionTtlMs, idleMs: config.sessionIdleMs, maxFailures: config.loginMaxFailures, lockMs: config.loginLockMs };
  registerAuthHook(app, database, policy, loadSession);
  registerMetrics(app, { defaults: config.env !== 'test' });

  app.get('/api/health', {
    schema: { tags: ['Hệ thống'], security: [], response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgresql']), version: z.string() }) } },
  }, async () => {
    await database.db.execute(sql`SELECT 1`);
    return { status: 'ok' as const, database: database.kind, version: config.version };
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(accountRoutes(policy, config.cookieSecure, config.loginRateLimitPerMinute));
  await app.register(directoryRoutes);
  await app.register(administrationRoutes);
  await app.register(fileRoutes);
  await app.register(documentRoutes);
  await app.register(workFileRoutes);
  await app.register(signingRoutes);
  await app.register(calendarRoutes);
  await app.register(procedureRoutes);
  await app.register(dossierRoutes({ database }));
  // The citizens' public pages (server-rendered, gzip in their own context) and the ratings API.
  await app.register(portalRoutes({ database, policy, cookieSecure: config.cookieSecure, loginPerMinute: config.loginRateLimitPerMinute, lookupPerMinute: 120, uploadLimit: config.uploadLimit }));
  await app.register(statisticsRoutes);
  await app.register(notificationRoutes);
  await app.register(paymentRoutes({ provider: testGateway(config.paymentTestSecret), testSecret: config.paymentTestSecret }));

  // The staff web app (built by Vite) at '/', with client-side routing fallback.
  const index = path.join(config.webDistDir, 'index.html');
  if (fs.existsSync(index)) {
    // serve: false — every file goes through the handler below, which decides caching (hashed assets
    // forever, index.html never, so a release is picked up at once).
    await app.register(fastifyStatic, { root: config.webDistDir, serve: false });
    app.get('/*', { schema: { hide: true } }, async (req, reply) => {
      if (req.url.startsWith('/api/')) return sendProblem(reply, req, new AppError(404, 'not-found', 'Không tìm thấy', `Không có đường dẫn ${req.method} ${req.url.split('?')[0]}.`));
      const rel = decodeURIComponent(req.url.split('?')[0]).replace(/^\/+/, '');
      const file = path.join(config.webDistDir, rel);
      if (rel && file.startsWith(config.webDistDir) && fs.existsSync(file) && fs.statSync(file).isFile()) {
        return reply.sendFile(rel, { cacheControl: false }).header('cache-control', rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      }
      return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
    });
  }
  await app.ready();
  return app as unknown as LienThongApp;
}
