/**
 * One-stop dossier benchmarks against a real LienThong server on a generated province-year
 * (bench/dossiers-generate.ts), on PostgreSQL:
 *  (a) public lookup — GET /api/public/dossiers/{code}, random codes, anonymous citizens behind the proxy
 *      (TRUST_PROXY, a different X-Forwarded-For per request, so the per-address rate limit stays on);
 *  (b) counter reception — POST /api/dossiers (code, due date from the calendar, history, audit) then
 *      GET …/forms/01.pdf (the receipt with its QR code), one officer after the other, closed loop;
 *  (c) statistics — GET /api/dossier-statistics for a unit over the last 365 days, one at a time, for
 *      communes, departments and the whole province, by unit, procedure and officer;
 * plus EXPLAIN (ANALYZE, BUFFERS) of the statements the server ran for a lookup and for statistics.
 *
 *   npx tsx bench/dossiers.ts --pg lienthong_bench_dossiers
 * Options: --seconds 15 --warmup 3 --lookup-connections 8 --reception-workers 1,4 --stats-rounds 3
 *          --only lookup,reception,statistics --no-explain --rev HEAD|worktree|<commit> --port 3421
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { type LoadResult, describe, percentile, runLoad } from './documents-load.js';
import { PROVINCE_LEADER } from './dossiers-generate.js';
import { type Server, ADMIN_URL, ROOT, backendsCpu, checkoutOf, cpuBetween, cpuMs, load1, login, machine, rmDir, serverEnv, startNode, stop, tempDir, waitHealthy, waitQuiet } from './lib.js';

const { values: args } = parseArgs({
  options: {
    pg: { type: 'string', default: 'lienthong_bench_dossiers' },
    seconds: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    'lookup-connections': { type: 'string', default: '8' },
    'reception-workers': { type: 'string', default: '1,4' },
    'stats-rounds': { type: 'string', default: '3' },
    only: { type: 'string', default: 'lookup,reception,statistics' },
    'no-explain': { type: 'boolean', default: false },
    port: { type: 'string', default: '3421' },
    rev: { type: 'string', default: 'HEAD' },
  },
});
const cfg = {
  seconds: Number(args.seconds), warmup: Number(args.warmup), lookupConnections: Number(args['lookup-connections']),
  receptionWorkers: args['reception-workers'].split(',').map(Number), statsRounds: Number(args['stats-rounds']), only: new Set(args.only.split(',')), port: Number(args.port),
};
const log = (s: string) => console.log(s);
const url = args.pg.includes('://') ? new URL(args.pg) : Object.assign(new URL(ADMIN_URL), { pathname: `/${args.pg}` });
const dbUrl = url.toString();
const source = args.rev === 'worktree' ? { dir: ROOT, commit: 'working tree' } : checkoutOf(args.rev);
const round = (x: number) => Math.round(x * 10) / 10;

type StatTarget = { label: 'commune' | 'department' | 'province'; user: string; unitId: string; name: string; dossiers: number };
type Dataset = { dossiers: number; actions: number; codes: string[]; desks: string[]; birthId: string; stats: StatTarget[] };
type Timing = { name: string; workers?: number; n: number; perSec?: number; p50: number; p95: number; p99?: number; max: number; loadAvg: number; errors: number; serverCpu?: number; dbCpu?: number };

async function dataset(): Promise<Dataset> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const q = async <T extends pg.QueryResultRow>(text: string) => (await c.query<T>(text)).rows;
    const [{ n, a }] = await q<{ n: number; a: number }>(`SELECT (SELECT count(*)::int FROM dossiers) AS n, (SELECT count(*)::int FROM dossier_actions) AS a`);
    const codes = (await q<{ code: string }>(`SELECT code FROM dossiers TABLESAMPLE SYSTEM (2) REPEATABLE (7) WHERE code IS NOT NULL LIMIT 20000`)).map((r) => r.code);
    const desks = (await q<{ username: string }>(
      `SELECT u.username FROM users u JOIN role_assignments r ON r.user_id = u.id JOIN units un ON un.id = r.unit_id
        WHERE r.role = 'onestop_officer' AND un.kind = 'people_committee' ORDER BY md5(u.username) LIMIT 16`,
    )).map((r) => r.username);
    const [{ id: birthId }] = await q<{ id: string }>(`SELECT id FROM procedures WHERE code = '1.001193'`);
    // Leaders of 12 communes and 4 departments (the busiest of each kind first), and the province's.
    const leaders = await q<{ username: string; unit_id: string; name: string; kind: string; n: number }>(
      `SELECT DISTINCT ON (un.id) u.username, un.id AS unit_id, un.name, un.kind, c.n FROM role_assignments r JOIN users u ON u.id = r.user_id JOIN units un ON un.id = r.unit_id
         JOIN (SELECT unit_id, count(*)::int AS n FROM dossiers GROUP BY unit_id) c ON c.unit_id = un.id
        WHERE r.role = 'leader' AND un.kind IN ('people_committee', 'department') ORDER BY un.id, u.username`,
    );
    const pickOf = (kind: string, k: number) => {
      const xs = leaders.filter((l) => l.kind === kind).sort((x, y) => y.n - x.n);
      return [xs[0], ...xs.slice(1).sort((x, y) => x.unit_id.localeCompare(y.unit_id)).slice(0, k - 1)];
    };
    const [root] = await q<{ id: string; name: string }>(`SELECT id, name FROM units WHERE agency_code = '000.00.00.H99'`);
    const stats: StatTarget[] = [
      ...pickOf('people_committee', 12).map((l) => ({ label: 'commune' as const, user: l.username, unitId: l.unit_id, name: l.name, dossiers: l.n })),
      ...pickOf('department', 4).map((l) => ({ label: 'department' as const, user: l.username, unitId: l.unit_id, name: l.name, dossiers: l.n })),
      { label: 'province', user: PROVINCE_LEADER, unitId: root.id, name: root.name, dossiers: n },
    ];
    return { dossiers: n, actions: a, codes, desks, birthId, stats };
  } finally {
    await c.end();
  }
}

function timing(name: string, ms: number[], seconds: number | null, loadAvg: number, errors: number, workers?: number): Timing {
  const s = [...ms].sort((x, y) => x - y);
  return {
    name, workers, n: s.length, perSec: seconds ? round(s.length / seconds) : undefined, p50: round(percentile(s, 0.5)), p95: round(percentile(s, 0.95)),
    p99: s.length >= 100 ? round(percentile(s, 0.99)) : undefined, max: round(s[s.length - 1] ?? NaN), loadAvg: round(loadAvg), errors,
  };
}
const show = (t: Timing) =>
  `${t.name}${t.workers ? ` (${t.workers} at a time)` : ''}: ${t.n} in ${t.perSec ? `${t.perSec}/s` : 'sequence'} — p50 ${t.p50} ms, p95 ${t.p95} ms${t.p99 !== undefined ? `, p99 ${t.p99} ms` : ''}, max ${t.max} ms; errors ${t.errors}` +
  `${t.serverCpu !== undefined ? `; CPU per operation: server ${t.serverCpu} ms, database ${t.dbCpu} ms` : ''}; load avg ${t.loadAvg}`;

/** Server and database CPU (ms) spent while `fn` runs, per operation counted. */
async function metered<T>(s: Server, fn: () => Promise<T>): Promise<{ value: T; per: (n: number) => { serverCpu: number; dbCpu: number } }> {
  const [c0, d0] = [cpuMs(s.pid), await backendsCpu(dbUrl)];
  const value = await fn();
  const [c1, d1] = [cpuMs(s.pid), await backendsCpu(dbUrl)];
  return { value, per: (n) => ({ serverCpu: round((c1 - c0) / Math.max(1, n)), dbCpu: round(cpuBetween(d0, d1) / Math.max(1, n)) }) };
}

const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
const yearAgo = new Date(Date.now() + 7 * 3_600_000 - 364 * 86_400_000).toISOString().slice(0, 10);
const statsPath = (t: StatTarget, groupBy: string) => `/api/dossier-statistics?unitId=${t.unitId}&from=${yearAgo}&to=${today}&groupBy=${groupBy}`;

/** Counter receptions, each followed by its receipt (form 01), `workers` officers at a time for `seconds`. */
async function receptions(s: Server, d: Dataset, tokens: Map<string, string>, workers: number, seconds: number) {
  const base = `http://127.0.0.1:${s.port}`;
  const total: number[] = [];
  const post: number[] = [];
  const form: number[] = [];
  let errors = 0;
  let k = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async (w: number) => {
    while (performance.now() < deadline) {
      const desk = d.desks[(w + k++) % d.desks.length];
      const headers = { authorization: `Bearer ${tokens.get(desk)}`, 'content-type': 'application/json' };
      const t0 = performance.now();
      const res = await fetch(`${base}/api/dossiers`, {
        method: 'POST', headers,
        body: JSON.stringify({
          procedureId: d.birthId, caseId: 'th1', channel: 'counter', fileIds: [], documents: [{ index: 0, fileIds: [] }, { index: 1, fileIds: [] }],
          applicant: { name: 'Nguyễn Thị Đo Tải', idNumber: `0011900${String(10000 + (k % 89999))}`, phone: '0912345678', address: 'Thôn Đông' },
        }),
      });
      const body = (await res.json()) as { id?: string; code?: string };
      const t1 = performance.now();
      if (res.status !== 201 || !body.id || !body.code) {
        errors++;
        continue;
      }
      const pdf = await fetch(`${base}/api/dossiers/${body.id}/forms/01.pdf`, { headers: { authorization: headers.authorization } });
      const bytes = await pdf.arrayBuffer();
      const t2 = performance.now();
      if (pdf.status !== 200 || bytes.byteLength < 1000) errors++;
      else {
        post.push(t1 - t0);
        form.push(t2 - t1);
        total.push(t2 - t0);
      }
    }
  };
  const loadAvg = load1();
  const m = await metered(s, () => Promise.all(Array.from({ length: workers }, (_, w) => worker(w))));
  return [
    { ...timing('reception + receipt (POST /api/dossiers, GET forms/01.pdf)', total, seconds, loadAvg, errors, workers), ...m.per(total.length) },
    timing('  of which POST /api/dossiers', post, seconds, loadAvg, 0, workers),
    timing('  of which GET forms/01.pdf', form, seconds, loadAvg, 0, workers),
  ];
}

async function statistics(s: Server, d: Dataset, tokens: Map<string, string>): Promise<Timing[]> {
  const out: Timing[] = [];
  for (const label of ['commune', 'department', 'province'] as const) {
    for (const groupBy of ['unit', 'procedure', 'officer']) {
      const ms: number[] = [];
      let errors = 0;
      const loadAvg = load1();
      const ask = async (t: StatTarget, keep: boolean) => {
        const t0 = performance.now();
        const res = await fetch(`http://127.0.0.1:${s.port}${statsPath(t, groupBy)}`, { headers: { authorization: `Bearer ${tokens.get(t.user)}` } });
        const body = (await res.json()) as { totals?: { received: number } };
        if (res.status !== 200 || !body.totals) errors++;
        else if (keep) ms.push(performance.now() - t0);
      };
      const targets = d.stats.filter((x) => x.label === label);
      // A first round reads each unit's pages into the cache (not for the province: one request is enough).
      if (label !== 'province') for (const t of targets) await ask(t, false);
      const m = await metered(s, async () => {
        for (let r = label === 'province' ? 0 : 1; r < cfg.statsRounds; r++) for (const t of targets) await ask(t, true);
      });
      out.push({ ...timing(`statistics, ${label}-year, by ${groupBy}`, ms, null, loadAvg, errors), ...m.per(ms.length) });
      log(`  ${show(out.at(-1)!)}`);
    }
  }
  return out;
}

async function scenarios(s: Server, d: Dataset, out: { loads: LoadResult[]; timings: Timing[] }) {
  const tokens = new Map<string, string>();
  for (const u of new Set([...d.desks, ...d.stats.map((t) => t.user)])) tokens.set(u, await login(s.port, u));
  if (cfg.only.has('lookup')) {
    let i = 0;
    const next = () => {
      i++;
      return { method: 'GET' as const, path: `/api/public/dossiers/${d.codes[(i * 7919) % d.codes.length]}`, headers: { 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` } };
    };
    await waitQuiet(log);
    if (cfg.warmup) await runLoad('public lookup (warm-up)', s, { connections: cfg.lookupConnections, seconds: cfg.warmup, next });
    const d0 = await backendsCpu(dbUrl);
    const r = await runLoad('public lookup by code', s, { connections: cfg.lookupConnections, seconds: cfg.seconds, next });
    r.dbCpuPerReq = round(cpuBetween(d0, await backendsCpu(dbUrl)) / Math.max(1, r.requests));
    log(`  ${describe(r)}`);
    out.loads.push(r);
  }
  if (cfg.only.has('reception')) {
    for (const w of cfg.receptionWorkers) {
      await waitQuiet(log);
      await receptions(s, d, tokens, w, Math.min(3, cfg.warmup));
      const ts = await receptions(s, d, tokens, w, cfg.seconds);
      for (const t of ts) log(`  ${show(t)}`);
      out.timings.push(...ts);
    }
  }
  if (cfg.only.has('statistics')) {
    await waitQuiet(log);
    out.timings.push(...(await statistics(s, d, tokens)));
  }
}

/** Runs a lookup and statistics requests on a server that records its SQL, then EXPLAINs those statements. */
async function explain(d: Dataset, env: NodeJS.ProcessEnv): Promise<{ what: string; ms: number; file: string }[]> {
  const file = path.join(os.tmpdir(), `lienthong-bench-dossiers-capture-${process.pid}.jsonl`);
  fs.rmSync(file, { force: true });
  const s = startNode('src/main.ts', ['serve'], { ...env, BENCH_CAPTURE_FILE: file }, cfg.port + 1, ['--import', './bench/capture-queries.ts'], source.dir);
  const commune = d.stats.find((t) => t.label === 'commune')!;
  const department = d.stats.find((t) => t.label === 'department')!;
  const province = d.stats.find((t) => t.label === 'province')!;
  const cases = [
    { what: 'public lookup', user: null, path: `/api/public/dossiers/${d.codes[0]}` },
    { what: `statistics of ${commune.name} (${commune.dossiers} dossiers)`, user: commune.user, path: statsPath(commune, 'officer') },
    { what: `statistics of ${department.name} (${department.dossiers} dossiers)`, user: department.user, path: statsPath(department, 'unit') },
    { what: 'statistics of the province', user: province.user, path: statsPath(province, 'unit') },
  ];
  const captured: { what: string; text: string; values: unknown[] }[] = [];
  try {
    await waitHealthy(s, performance.now(), { timeoutMs: 180_000 });
    for (const c of cases) {
      const headers: Record<string, string> = c.user ? { authorization: `Bearer ${await login(s.port, c.user)}` } : {};
      const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').length : 0;
      await (await fetch(`http://127.0.0.1:${s.port}${c.path}`, { headers })).arrayBuffer();
      for (const l of fs.readFileSync(file, 'utf8').slice(before).trim().split('\n').filter(Boolean)) {
        const q = JSON.parse(l) as { text: string; values: unknown[] };
        // The statements on dossiers, and the session settings the server made for them (SET LOCAL jit = off).
        if ((/\bdossier/.test(q.text) && /^\s*(select|with)/i.test(q.text)) || /^\s*set\s/i.test(q.text)) captured.push({ what: c.what, ...q });
      }
    }
  } finally {
    await stop(s);
    fs.rmSync(file, { force: true });
  }
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  const plans: { what: string; ms: number; file: string }[] = [];
  try {
    await client.query('BEGIN');
    for (const [k, q] of captured.entries()) {
      if (/^\s*set\s/i.test(q.text)) {
        await client.query(q.text.replace(/^\s*set\s+(?!local\b)/i, 'SET LOCAL '));
        continue;
      }
      const rows = (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, q.values)).rows.map((r) => r['QUERY PLAN']);
      const planFile = path.join(os.tmpdir(), `lienthong-bench-dossiers-plan-${k + 1}.txt`);
      fs.writeFileSync(planFile, `-- ${q.what}\n-- ${q.text.replace(/\s+/g, ' ')}\n-- values ${JSON.stringify(q.values)}\n\n${rows.join('\n')}\n`);
      const ms = Number(/Execution Time: ([\d.]+)/.exec(rows.join('\n'))?.[1] ?? NaN);
      plans.push({ what: q.what, ms, file: planFile });
      log(`  EXPLAIN ${q.what}: ${ms} ms — ${q.text.replace(/\s+/g, ' ').slice(0, 100)} → ${planFile}`);
    }
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end();
  }
  return plans;
}

const m = machine();
const d = await dataset();
log(`server: ${source.commit}; machine: ${m.cpus} CPUs, ${m.model}, Node ${m.node}; ${url.pathname.slice(1)}: ${d.dossiers.toLocaleString('en')} dossiers, ${d.actions.toLocaleString('en')} actions`);
const files = tempDir('dossiers-files');
// serverEnv gives the fixed BENCH_SIGNING_KEY (the demo signing keys stay readable across runs).
const env = serverEnv({ DATA_DIR: files, DATABASE_URL: dbUrl, LOGIN_RATE_LIMIT_PER_MINUTE: '100000', TRUST_PROXY: 'true' });
const out = { loads: [] as LoadResult[], timings: [] as Timing[], plans: [] as { what: string; ms: number; file: string }[] };
const s = startNode('src/main.ts', ['serve'], env, cfg.port, [], source.dir);
try {
  await waitHealthy(s, performance.now(), { timeoutMs: 180_000 });
  await scenarios(s, d, out);
} finally {
  await stop(s);
}
if (!args['no-explain']) out.plans = await explain(d, env);
rmDir(files);
if (source.dir !== ROOT) rmDir(source.dir);
const resultFile = path.join(os.tmpdir(), 'lienthong-bench-dossiers.json');
fs.writeFileSync(resultFile, JSON.stringify({ at: new Date().toISOString(), commit: source.commit, machine: m, cfg: { ...cfg, only: [...cfg.only] }, dossiers: d.dossiers, actions: d.actions, stats: d.stats, ...out }, null, 2));
log(`\n| Scenario | Concurrency | Requests | per s | p50 | p95 | p99 | max | Server CPU / op | DB CPU / op | errors / non-2xx | Load avg |\n|---|---|---|---|---|---|---|---|---|---|---|---|`);
for (const l of out.loads) log(`| ${l.name} | ${l.connections} connections | ${l.requests} | ${l.okPerSec} | ${l.p50} ms | ${l.p95} ms | ${l.p99} ms | ${l.max} ms | ${l.cpuPerReq} ms | ${l.dbCpuPerReq ?? '–'} ms | ${l.non2xx + l.errors} | ${l.loadAvg} |`);
const cpuCell = (x: number | undefined) => (x === undefined ? '' : `${x} ms`);
for (const t of out.timings) log(`| ${t.name} | ${t.workers ?? 1} | ${t.n} | ${t.perSec ?? '–'} | ${t.p50} ms | ${t.p95} ms | ${t.p99 ?? '–'} | ${t.max} ms | ${cpuCell(t.serverCpu)} | ${cpuCell(t.dbCpu)} | ${t.errors} | ${t.loadAvg} |`);
log(`\nraw results: ${resultFile}`);
