/**
 * API throughput benchmark with autocannon: authenticated GET /api/me and GET /api/units on LienThong,
 * next to a bare Fastify route doing one single-row query through a `pg` Pool of the same size, in the
 * same run against the same PostgreSQL database; then LienThong on PGlite for reference.
 * Run: npx tsx bench/api.ts   (env BENCH_DURATION s, BENCH_WARMUP s, BENCH_CONNECTIONS)
 */
import autocannon from 'autocannon';
import {
  type Server, cpuMs, createDatabase, dropDatabase, load1, login, memory, rmDir, serverEnv, sleep, startNode, startProduct, stop, tempDir, waitHealthy, waitQuiet,
} from './lib.js';

const PORTS = { lienthongPg: 3402, bare: 3403, lienthongPglite: 3404 };
const USER = 'vanthu.xa';

export type Load = {
  target: string;
  db: 'PostgreSQL' | 'PGlite';
  path: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** Server CPU (user + system) per request, ms. */
  cpuPerReq: number;
  /** Database statements per request, from a separate counting run (bench/count-queries.ts). */
  queriesPerReq?: number;
  loadAvg: number;
};
export type Mem = { target: string; db: string; rssKb: number; hwmKb: number };
export type ApiResult = { connections: number; durationS: number; warmupS: number; poolMax: number; loads: Load[]; memory: Mem[] };

const cfg = {
  connections: Number(process.env.BENCH_CONNECTIONS ?? 10),
  durationS: Number(process.env.BENCH_DURATION ?? 10),
  warmupS: Number(process.env.BENCH_WARMUP ?? 2),
  poolMax: 10, // the app's DATABASE_POOL_MAX default; the bare server gets the same
};

function cannon(url: string, token: string | undefined, duration: number): Promise<autocannon.Result> {
  return autocannon({ url, connections: cfg.connections, duration, headers: token ? { authorization: `Bearer ${token}` } : {} });
}

/** Warm-up, then the measured run; also reads the server's CPU time around it. */
async function measure(target: string, db: Load['db'], s: Server, path: string, token: string | undefined, log: (m: string) => void): Promise<Load> {
  const url = `http://127.0.0.1:${s.port}${path}`;
  const check = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  await check.arrayBuffer();
  if (check.status !== 200) throw new Error(`${target} ${path} answered ${check.status}`);
  const loadAvg = await waitQuiet(log);
  await cannon(url, token, cfg.warmupS);
  const c0 = cpuMs(s.pid);
  const r = await cannon(url, token, cfg.durationS);
  const c1 = cpuMs(s.pid);
  const n = r.requests.total;
  const load: Load = {
    target, db, path, reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, requests: n, non2xx: r.non2xx, errors: r.errors,
    cpuPerReq: n ? (c1 - c0) / n : NaN, loadAvg,
  };
  log(`  ${target} ${db} ${path}: ${Math.round(load.reqPerSec)} req/s, p50 ${load.p50} ms, p99 ${load.p99} ms, ${n} requests, non-2xx ${r.non2xx}, errors ${r.errors}, server CPU ${load.cpuPerReq.toFixed(2)} ms/req (load avg at start ${loadAvg.toFixed(2)})`);
  if (r.non2xx || r.errors) throw new Error(`${target} ${path}: ${r.non2xx} non-2xx responses, ${r.errors} errors`);
  return load;
}

/** Statements per request, from a separate server instance started with the counting preload. */
async function countQueries(env: NodeJS.ProcessEnv, port: number, loads: Load[], db: Load['db']): Promise<void> {
  const s = startNode('src/main.ts', ['serve'], env, port, ['--import', './bench/count-queries.ts']);
  try {
    await waitHealthy(s, performance.now(), { timeoutMs: 120_000 });
    const token = await login(port, USER);
    const read = async (): Promise<number> => {
      const seen = s.stdout().split('queries=').length;
      s.proc.kill('SIGUSR2');
      for (let i = 0; i < 250 && s.stdout().split('queries=').length === seen; i++) await sleep(20);
      return Number(/queries=(\d+)\s*$/.exec(s.stdout())?.[1] ?? NaN);
    };
    const n = 50;
    for (const l of loads.filter((x) => x.db === db && x.target === 'LienThong')) {
      const q0 = await read();
      for (let i = 0; i < n; i++) {
        const res = await fetch(`http://127.0.0.1:${port}${l.path}`, { headers: { authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
      }
      l.queriesPerReq = ((await read()) - q0) / n;
    }
  } finally {
    await stop(s);
  }
}

async function userIdOf(port: number, token: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { user?: { id?: string } };
  if (!body.user?.id) throw new Error(`/api/me gave no user id: ${JSON.stringify(body)}`);
  return body.user.id;
}

async function onPostgres(out: ApiResult, log: (m: string) => void): Promise<void> {
  const dbName = `lienthong_bench_api_${process.pid}`;
  const dir = tempDir('api-pg');
  let app: Server | undefined;
  let bare: Server | undefined;
  try {
    const url = await createDatabase(dbName);
    const env = serverEnv({ DATA_DIR: dir, DATABASE_URL: url, DATABASE_POOL_MAX: String(cfg.poolMax) });
    app = startProduct(['serve'], env, PORTS.lienthongPg);
    await waitHealthy(app, performance.now(), { timeoutMs: 120_000 });
    const token = await login(app.port, USER);
    const userId = await userIdOf(app.port, token);
    bare = startNode('bench/bare-server.ts', [], { ...env, BARE_USER_ID: userId }, PORTS.bare);
    await waitHealthy(bare, performance.now(), { path: '/health' });
    out.loads.push(await measure('bare Fastify + pg', 'PostgreSQL', bare, '/bare/user', undefined, log));
    out.loads.push(await measure('LienThong', 'PostgreSQL', app, '/api/me', token, log));
    out.loads.push(await measure('LienThong', 'PostgreSQL', app, '/api/units', token, log));
    out.memory.push({ target: 'LienThong', db: 'PostgreSQL', ...memory(app.pid) }, { target: 'bare Fastify + pg', db: 'PostgreSQL', ...memory(bare.pid) });
    await stop(app);
    await countQueries(env, PORTS.lienthongPg, out.loads, 'PostgreSQL');
    for (const l of out.loads) if (l.target.startsWith('bare')) l.queriesPerReq = 1; // one pool.query by construction
  } finally {
    await stop(bare);
    await stop(app);
    await dropDatabase(dbName);
    rmDir(dir);
  }
}

async function onPglite(out: ApiResult, log: (m: string) => void): Promise<void> {
  const dir = tempDir('api-pglite');
  let app: Server | undefined;
  try {
    app = startProduct(['serve'], serverEnv({ DATA_DIR: dir }), PORTS.lienthongPglite);
    await waitHealthy(app, performance.now(), { timeoutMs: 120_000 });
    const token = await login(app.port, USER);
    out.loads.push(await measure('LienThong', 'PGlite', app, '/api/me', token, log));
    out.loads.push(await measure('LienThong', 'PGlite', app, '/api/units', token, log));
    out.memory.push({ target: 'LienThong', db: 'PGlite', ...memory(app.pid) });
    await stop(app);
    await countQueries(serverEnv({ DATA_DIR: dir }), PORTS.lienthongPglite, out.loads, 'PGlite');
  } finally {
    await stop(app);
    rmDir(dir);
  }
}

export async function runApi(log: (m: string) => void = console.log): Promise<ApiResult> {
  log(`api: autocannon ${cfg.connections} connections, ${cfg.warmupS} s warm-up + ${cfg.durationS} s per route, signed in as ${USER}; load avg now ${load1().toFixed(2)}`);
  const out: ApiResult = { ...cfg, loads: [], memory: [] };
  await onPostgres(out, log);
  await onPglite(out, log);
  return out;
}

const ms = (x: number) => `${x} ms`;
export function apiTables(r: ApiResult): string {
  const bare = r.loads.find((l) => l.target.startsWith('bare'));
  const lines = [
    '| Server | Database | Route | req/s | p50 | p99 | Ratio to bare (req/s) | Server CPU / req | DB statements / req |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const l of r.loads) {
    const ratio = bare && l !== bare && l.db === 'PostgreSQL' ? `**${(l.reqPerSec / bare.reqPerSec).toFixed(2)}** ${l.reqPerSec / bare.reqPerSec >= 0.6 ? '(aim ≥ 0.6 met)' : '(aim ≥ 0.6 **missed**)'}` : l === bare ? '1.00' : 'n/a (other database)';
    lines.push(`| ${l.target} | ${l.db} | \`GET ${l.path}\` | **${Math.round(l.reqPerSec)}** | ${ms(l.p50)} | ${ms(l.p99)} | ${ratio} | ${l.cpuPerReq.toFixed(2)} ms | ${l.queriesPerReq?.toFixed(1) ?? '–'} |`);
  }
  lines.push('', '| Process | Database | RSS after load (VmRSS) | Peak RSS (VmHWM) |', '|---|---|---|---|');
  for (const m of r.memory) lines.push(`| ${m.target} | ${m.db} | ${Math.round(m.rssKb / 1024)} MB | ${Math.round(m.hwmKb / 1024)} MB |`);
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('api.ts')) {
  const r = await runApi();
  console.log('\n' + apiTables(r));
}
