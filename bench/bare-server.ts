/**
 * The baseline for the API benchmark: a bare Fastify 5 server with a `pg` Pool of the same size as
 * LienThong's (DATABASE_POOL_MAX, default 10) answering one single-row query per request.
 * Env: PORT, DATABASE_URL, BARE_USER_ID, DATABASE_POOL_MAX, LOG_LEVEL.
 */
import Fastify from 'fastify';
import pg from 'pg';

const url = process.env.DATABASE_URL;
const userId = process.env.BARE_USER_ID;
if (!url || !userId) throw new Error('DATABASE_URL and BARE_USER_ID are required');
const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_MAX ?? 10) });
const level = process.env.LOG_LEVEL ?? 'warn';
const app = Fastify({ logger: { level } });

app.get('/health', async () => ({ status: 'ok' }));
app.get('/bare/user', async (_req, reply) => {
  const { rows } = await pool.query<{ id: string; username: string; full_name: string }>('SELECT id, username, full_name FROM users WHERE id = $1', [userId]);
  if (!rows[0]) return reply.status(404).send({ error: 'not found' });
  return { id: rows[0].id, username: rows[0].username, fullName: rows[0].full_name };
});

const close = () => void app.close().then(() => pool.end()).finally(() => process.exit(0));
process.on('SIGTERM', close);
process.on('SIGINT', close);
await app.listen({ port: Number(process.env.PORT ?? 3402), host: process.env.HOST ?? '127.0.0.1' });
console.log(`bare server ready on ${process.env.PORT}`);
