/**
 * Document benchmarks against a real LienThong server on a generated dataset (bench/documents-generate.ts):
 *  (a) inbox — GET /api/documents?box=assigned, rotating over ~50 handlers;
 *  (b) search — GET /api/documents?box=incoming&q=…, common and rare words, clerks and leaders of varied units;
 *  (c) register — POST /api/documents/incoming latency, clerks of varied units;
 *  (d) sustained writes — registrations per second at a fixed, higher concurrency;
 * plus EXPLAIN (ANALYZE, BUFFERS) of the inbox and search statements the server ran (PostgreSQL).
 *
 *   npx tsx bench/documents.ts --pg lienthong_bench_docs_100k --pg lienthong_bench_docs --pglite /tmp/lienthong-docs-100k
 *   (--pg takes a database name on BENCH_PG_ADMIN_URL's server, or a full postgres:// URL)
 * Options: --seconds 15 (per scenario) --warmup 3 --connections 4 --write-connections 16 --write-seconds 20 --only inbox,counts,search,terms,register,writes
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../src/core/db/index.js';
import { type LoadResult, type Req, describe, runLoad } from './documents-load.js';
import { summarize } from './profile.js';
import { type Server, ADMIN_URL, ROOT, backendsCpu, checkoutOf, cpuBetween, login, machine, rmDir, serverEnv, startNode, stop, tempDir, waitHealthy, waitQuiet } from './lib.js';

const { values: args } = parseArgs({
  options: {
    pg: { type: 'string', multiple: true, default: [] },
    pglite: { type: 'string', multiple: true, default: [] },
    seconds: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '4' },
    'write-connections': { type: 'string', default: '16' },
    'write-seconds': { type: 'string', default: '20' },
    only: { type: 'string', default: 'inbox,counts,search,terms,register,writes' },
    'no-explain': { type: 'boolean', default: false },
    port: { type: 'string', default: '3411' },
    rev: { type: 'string', default: 'HEAD' },
    'cpu-prof': { type: 'boolean', default: false }, // run the server under --cpu-prof and print where its time went // the server runs from this commit ('worktree' = the working tree as it is)
  },
});
const cfg = {
  seconds: Number(args.seconds), warmup: Number(args.warmup), connections: Number(args.connections),
  writeConnections: Number(args['write-connections']), writeSeconds: Number(args['write-seconds']), only: new Set(args.only.split(',')), port: Number(args.port),
};
const log = (s: string) => console.log(s);
const source = args.rev === 'worktree' ? { dir: ROOT, commit: 'working tree' } : checkoutOf(args.rev);

/** Search terms: frequent words, mid-frequency themes, rare words and names, search-as-you-type prefixes, symbols, nothing. */
export const QUERIES = [
  'công văn', 'quyết định', 'báo cáo kết quả', 'ke hoach trien khai', 've viec', 'năm 2025',
  'khai sinh', 'đất đai', 'nông thôn mới', 'thiên tai', 'chuyển đổi số', 'quyet dinh khai sinh', 'cai cach hanh chinh', 'giấy mời hội nghị',
  'ocop', 'ma túy', 'lễ hội truyền thống', 'Nguyễn Văn Hùng', 'Bộ Nội vụ', 'dich ta lon chau phi', 'tân an',
  'giải phóng mặt', 'tiếp công d', '15/QĐ-UBND', 'UBND-VP', 'không có văn bản xyz',
];

type Target = { kind: 'PostgreSQL' | 'PGlite'; name: string; url?: string; dataDir?: string };
type People = { documents: number; inbox: string[]; searchers: string[]; clerks: string[] };
export type TargetResult = {
  target: string; db: Target['kind']; documents: number; loads: LoadResult[];
  plans: { what: string; ms: number; shape: string[]; file: string }[];
  terms?: { q: string; ms: number[] }[];
};

/** Who takes part: handlers with inbox items, clerks and leaders of varied units, registering clerks. */
async function people(t: Target): Promise<People> {
  const database = await openDatabase(t.url ? { databaseUrl: t.url, poolMax: 1 } : { dataDir: t.dataDir });
  const q = async <T>(text: string): Promise<T[]> => (database.pool ? (await database.pool.query(text)).rows : (await database.pglite!.query<T>(text)).rows) as T[];
  try {
    const [{ n }] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM documents`);
    const names = async (text: string) => (await q<{ username: string }>(text)).map((r) => r.username);
    const byRole = (roles: string, kinds: string, limit: number, seed: string) => `SELECT u.username FROM users u JOIN role_assignments r ON r.user_id = u.id JOIN units un ON un.id = r.unit_id
        WHERE r.role IN (${roles}) AND un.kind IN (${kinds}) AND u.username <> 'admin' ORDER BY md5(u.username || '${seed}') LIMIT ${limit}`;
    const inbox = [
      ...(await names(byRole(`'specialist', 'deputy_leader'`, `'people_committee'`, 36, 'a'))),
      ...(await names(byRole(`'specialist', 'deputy_leader'`, `'department', 'office'`, 8, 'b'))),
      ...(await names(byRole(`'leader', 'clerk'`, `'department'`, 6, 'c'))), // unit-addressed items (the province assigns departments)
    ];
    const searchers = [
      'vanthu.tinh', 'lanhdao.tinh',
      ...(await names(byRole(`'clerk', 'leader', 'deputy_leader'`, `'department'`, 8, 'd'))),
      ...(await names(byRole(`'clerk', 'leader', 'deputy_leader'`, `'people_committee'`, 18, 'e'))),
    ];
    const clerks = await names(byRole(`'clerk'`, `'people_committee', 'department', 'office'`, 20, 'f'));
    return { documents: n, inbox, searchers, clerks };
  } finally {
    await database.close();
  }
}

async function tokens(port: number, users: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const u of new Set(users)) out.set(u, await login(port, u));
  return out;
}

function rotation<T>(xs: T[]): () => T {
  let i = 0;
  return () => xs[i++ % xs.length];
}

let registered = 0;
/** A plausible incoming document; numbers are unique so the duplicate check never answers 409. */
function incomingBody(): Record<string, unknown> {
  registered++;
  const d = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  return {
    issuer: 'Sở Nội vụ', codeNumber: 100_000 + ((process.pid * 7919 + registered) % 9_000_000), codeNotation: 'SNV-VP', issuedDate: d, typeCode: 'CV',
    subject: `Công văn về việc rà soát số liệu cải cách hành chính quý IV (đo tải ${registered})`, signerName: 'Trần Văn Minh', signerPosition: 'Phó Giám đốc',
    pageCount: 2, urgency: registered % 10 === 0 ? 'urgent' : 'normal', secrecy: 'none', receivedVia: 'email', fileIds: [],
  };
}

async function scenarios(t: Target, s: Server, who: People, out: TargetResult): Promise<void> {
  const tok = await tokens(s.port, [...who.inbox, ...who.searchers, ...who.clerks]);
  const run = async (name: string, next: () => Req, connections = cfg.connections, seconds = cfg.seconds) => {
    const probe = next();
    const res = await fetch(`http://127.0.0.1:${s.port}${probe.path}`, {
      method: probe.method, headers: { authorization: `Bearer ${probe.token}`, ...(probe.body ? { 'content-type': 'application/json' } : {}) }, body: probe.body ? JSON.stringify(probe.body) : undefined,
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${name}: ${probe.method} ${probe.path} answered ${res.status}: ${text.slice(0, 500)}`);
    await waitQuiet(log);
    if (cfg.warmup > 0) await runLoad(`${name} (warm-up)`, s, { connections, seconds: cfg.warmup, next });
    const db0 = await dbCpu(t);
    const r = await runLoad(name, s, { connections, seconds, next });
    const db1 = await dbCpu(t);
    if (db0 && db1) r.dbCpuPerReq = Math.round((cpuBetween(db0, db1) / Math.max(1, r.requests)) * 100) / 100;
    log(`  ${t.name} ${describe(r)}`);
    out.loads.push(r);
    await drain(t, (x) => (r.cancelled = x));
  };
  const inboxUser = rotation(who.inbox);
  if (cfg.only.has('inbox')) await run('inbox', () => ({ method: 'GET', path: '/api/documents?box=assigned', token: tok.get(inboxUser())! }));
  if (cfg.only.has('counts')) await run('inbox counts', () => ({ method: 'GET', path: '/api/documents/counts', token: tok.get(inboxUser())! }));
  const pairs = who.searchers.flatMap((u, i) => QUERIES.map((_, j) => ({ u, q: QUERIES[(i + j) % QUERIES.length] })));
  const search = rotation(pairs);
  if (cfg.only.has('search')) {
    await run('search', () => {
      const x = search();
      return { method: 'GET', path: `/api/documents?box=incoming&q=${encodeURIComponent(x.q)}`, token: tok.get(x.u)! };
    });
  }
  if (cfg.only.has('terms')) await probeTerms(t, s, who, tok, out);
  const clerk = rotation(who.clerks);
  const register = (): Req => ({ method: 'POST', path: '/api/documents/incoming', token: tok.get(clerk())!, body: incomingBody() });
  if (cfg.only.has('register')) await run('register', register);
  if (cfg.only.has('writes')) await run('sustained writes', register, cfg.writeConnections, cfg.writeSeconds);
}

/** CPU time so far of the PostgreSQL backends serving this database (pid → ms); null for PGlite. */
const dbCpu = (t: Target) => (t.url ? backendsCpu(t.url) : Promise.resolve(null));

/**
 * Requests autocannon gave up on (10 s timeout) may still run in the database: wait for them, so that
 * they do not weigh on the next scenario; cancel what still runs after a minute (and report it).
 */
async function drain(t: Target, cancelled: (n: number) => void): Promise<void> {
  if (!t.url) return;
  const c = new pg.Client({ connectionString: t.url });
  await c.connect();
  try {
    const active = `FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`;
    const t0 = Date.now();
    for (;;) {
      const [{ n }] = (await c.query<{ n: number }>(`SELECT count(*)::int AS n ${active}`)).rows;
      if (n === 0) return;
      if (Date.now() - t0 > 60_000) {
        const rows = (await c.query(`SELECT pg_cancel_backend(pid) ${active}`)).rows;
        log(`  (cancelled ${rows.length} statements still running a minute after the load ended)`);
        cancelled(rows.length);
        return;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await c.end();
  }
}

/**
 * Runs one inbox, two search and one registration request on a server that records its SQL, then
 * EXPLAINs (ANALYZE, BUFFERS) those statements; the registration's inside a transaction rolled back.
 */
async function explain(t: Target, who: People, env: NodeJS.ProcessEnv, out: TargetResult): Promise<void> {
  const file = path.join(os.tmpdir(), `lienthong-bench-capture-${process.pid}.jsonl`);
  fs.rmSync(file, { force: true });
  const s = startNode('src/main.ts', ['serve'], { ...env, BENCH_CAPTURE_FILE: file }, cfg.port + 1, ['--import', './bench/capture-queries.ts'], source.dir);
  const reads = (q: string) => /\bdocuments\b/.test(q) && /^\s*(select|with)/i.test(q);
  const all = (q: string) => !/^\s*(begin|commit|rollback|set)\b/i.test(q);
  const cases = [
    { what: `inbox of ${who.inbox[0]}`, user: who.inbox[0], path: '/api/documents?box=assigned', keep: reads },
    { what: 'search "công văn" as vanthu.tinh (largest unit)', user: 'vanthu.tinh', path: `/api/documents?box=incoming&q=${encodeURIComponent('công văn')}`, keep: reads },
    { what: `search "khai sinh" as ${who.searchers[5]}`, user: who.searchers[5], path: `/api/documents?box=incoming&q=${encodeURIComponent('khai sinh')}`, keep: reads },
    { what: `register as ${who.clerks[0]}`, user: who.clerks[0], path: '/api/documents/incoming', body: incomingBody(), keep: all },
  ];
  const captured: { what: string; text: string; values: unknown[] }[] = [];
  try {
    await waitHealthy(s, performance.now(), { timeoutMs: 180_000 });
    for (const c of cases) {
      const token = await login(s.port, c.user);
      const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').length : 0;
      const res = await fetch(`http://127.0.0.1:${s.port}${c.path}`, {
        method: c.body ? 'POST' : 'GET', headers: { authorization: `Bearer ${token}`, ...(c.body ? { 'content-type': 'application/json' } : {}) }, body: c.body ? JSON.stringify(c.body) : undefined,
      });
      await res.arrayBuffer();
      const lines = fs.readFileSync(file, 'utf8').slice(before).trim().split('\n').filter(Boolean);
      for (const l of lines) {
        const q = JSON.parse(l) as { text: string; values: unknown[] };
        // Session settings the server made for its statements (e.g. SET LOCAL max_parallel_workers_per_gather) are replayed too.
        if ((c.keep(q.text) && !q.text.includes('FROM sessions')) || /^\s*set\s/i.test(q.text)) captured.push({ what: c.what, ...q });
      }
    }
  } finally {
    await stop(s);
  }
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  try {
    await client.query('BEGIN');
    let k = 0;
    for (const q of captured) {
      if (/^\s*set\s/i.test(q.text)) {
        await client.query(q.text.replace(/^\s*set\s+(?!local\b)/i, 'SET LOCAL '), q.values);
        log(`  EXPLAIN ${q.what}: replayed ${q.text.trim()}`);
        continue;
      }
      // The request already inserted its rows: a statement that fails again here (duplicate key) is skipped.
      await client.query('SAVEPOINT x');
      const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, q.values).catch((err: Error) => err);
      if (plan instanceof Error) {
        await client.query('ROLLBACK TO SAVEPOINT x');
        log(`  EXPLAIN ${q.what}: skipped (${plan.message}) — ${q.text.replace(/\s+/g, ' ').slice(0, 90)}`);
        continue;
      }
      const rows = plan.rows.map((r) => r['QUERY PLAN']);
      const planFile = path.join(os.tmpdir(), `lienthong-bench-plan-${t.name}-${++k}.txt`);
      fs.writeFileSync(planFile, `-- ${q.what}\n-- ${q.text.replace(/\s+/g, ' ')}\n-- values ${JSON.stringify(q.values)}\n\n${rows.join('\n')}\n`);
      const ms = Number(/Execution Time: ([\d.]+)/.exec(rows.join('\n'))?.[1] ?? NaN);
      const shape = rows.filter((r) => /->|^\S/.test(r) && !/^(Planning|Execution)/.test(r)).map((r) => r.replace(/\s+\(cost=[^)]*\)/, '').replace(/\(actual time=[\d.]+\.\.([\d.]+) rows=(\d+) loops=(\d+)\)/, '[$1 ms, $2 rows × $3]'));
      out.plans.push({ what: q.what, ms, shape, file: planFile });
      log(`  EXPLAIN ${q.what}: ${ms} ms — ${q.text.replace(/\s+/g, ' ').slice(0, 90)} → ${planFile}`);
    }
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end();
    fs.rmSync(file, { force: true });
  }
}

/** One request at a time per search term, for three kinds of searcher: where the time goes by term. */
async function probeTerms(t: Target, s: Server, who: People, tok: Map<string, string>, out: TargetResult): Promise<void> {
  const users = ['vanthu.tinh', who.searchers[2], who.searchers[12]];
  out.terms = [];
  for (const q of QUERIES) {
    const row: { q: string; ms: number[] } = { q, ms: [] };
    for (const u of users) {
      const t0 = performance.now();
      const res = await fetch(`http://127.0.0.1:${s.port}/api/documents?box=incoming&q=${encodeURIComponent(q)}`, { headers: { authorization: `Bearer ${tok.get(u)}` }, signal: AbortSignal.timeout(60_000) }).catch(() => null);
      await res?.arrayBuffer();
      row.ms.push(res?.status === 200 ? Math.round(performance.now() - t0) : NaN);
    }
    out.terms.push(row);
    await drain(t, () => undefined);
  }
  log(`  search terms, one request at a time (ms) as ${users.join(' / ')}:\n${out.terms.map((r) => `    ${r.q.padEnd(24)} ${r.ms.map((x) => String(x).padStart(6)).join(' ')}`).join('\n')}`);
}

async function runTarget(t: Target): Promise<TargetResult> {
  const who = await people(t);
  log(`\n${t.kind} ${t.name}: ${who.documents.toLocaleString('en')} documents; ${who.inbox.length} inbox users, ${who.searchers.length} searchers × ${QUERIES.length} queries, ${who.clerks.length} clerks`);
  const out: TargetResult = { target: t.name, db: t.kind, documents: who.documents, loads: [], plans: [] };
  const files = t.dataDir ?? tempDir('docs-files');
  const env = serverEnv({ DATA_DIR: files, DATABASE_URL: t.url, LOGIN_RATE_LIMIT_PER_MINUTE: '100000' });
  const profDir = path.join(files, 'cpu-prof');
  const s = startNode('src/main.ts', ['serve'], env, cfg.port, args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [], source.dir);
  const started = { us: 0 }; // monotonic µs when the scenarios start: the profile leaves start-up out
  try {
    await waitHealthy(s, performance.now(), { timeoutMs: 180_000 });
    started.us = Number(process.hrtime.bigint() / 1000n);
    await scenarios(t, s, who, out);
  } finally {
    await stop(s);
  }
  const prof = args['cpu-prof'] && fs.existsSync(profDir) ? fs.readdirSync(profDir).find((f) => f.endsWith('.cpuprofile')) : undefined;
  if (prof) log(`\nserver CPU profile (${path.join(profDir, prof)}), from the first scenario on:\n${summarize(path.join(profDir, prof), 30, started.us)}`);
  if (t.kind === 'PostgreSQL' && !args['no-explain']) await explain(t, who, env, out);
  if (!t.dataDir && !prof) rmDir(files);
  return out;
}

const targets: Target[] = [
  // --pg <database on BENCH_PG_ADMIN_URL's server> or --pg <full URL of a database on another server>
  ...args.pg.map((x): Target => {
    const url = x.includes('://') ? new URL(x) : Object.assign(new URL(ADMIN_URL), { pathname: `/${x}` });
    return { kind: 'PostgreSQL', name: `${url.pathname.slice(1)}@${url.port || '5432'}`, url: url.toString() };
  }),
  ...args.pglite.map((dir): Target => ({ kind: 'PGlite', name: path.basename(dir), dataDir: dir })),
];
if (!targets.length) throw new Error('name at least one dataset: --pg <database> and/or --pglite <data dir> (see bench/documents-generate.ts)');
const m = machine();
log(`server: ${source.commit} (${source.dir}); machine: ${m.cpus} CPUs, ${m.model}, Node ${m.node}; scenarios ${[...cfg.only].join(', ')}; ${cfg.seconds} s each after ${cfg.warmup} s warm-up, ${cfg.connections} connections (writes: ${cfg.writeConnections} for ${cfg.writeSeconds} s)`);
const results: TargetResult[] = [];
for (const t of targets) results.push(await runTarget(t));
const file = path.join(os.tmpdir(), 'lienthong-bench-documents.json');
if (source.dir !== ROOT) rmDir(source.dir);
fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), commit: source.commit, machine: m, cfg: { ...cfg, only: [...cfg.only] }, results }, null, 2));
log(`\n| Dataset | Database | Scenario | Connections | req/s | p50 | p95 | p99 | Server CPU / req | DB CPU / req | non-2xx | Load avg |\n|---|---|---|---|---|---|---|---|---|---|---|---|`);
for (const r of results) {
  for (const l of r.loads) log(`| ${r.documents.toLocaleString('en')} documents | ${r.db} | ${l.name} | ${l.connections} | ${l.okPerSec} | ${l.p50} ms | ${l.p95} ms | ${l.p99} ms | ${l.cpuPerReq} ms | ${l.dbCpuPerReq ?? '–'} ms | ${l.non2xx} | ${l.loadAvg} |`);
}
log(`\nraw results: ${file}`);
