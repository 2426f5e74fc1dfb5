/**
 * Startup benchmark: time from spawning `node dist/main.js serve` (what `npm start` runs) until GET /api/health
 * answers 200 (polled every 20 ms). Cold = empty data directory / empty database (create + migrate +
 * seed); warm = the same data kept. PGlite and PostgreSQL. Run: npx tsx bench/startup.ts
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import {
  ROOT, type Stats, cpuMs, createDatabase, dropDatabase, fmt, readyMs, rmDir, serverEnv, startProduct, stats, stop, tempDir, waitHealthy, waitQuiet,
} from './lib.js';

/** total: spawn → health 200 (wall); ready: the server's own "ready in"; cpu: the server process's CPU time until healthy. */
export type StartupRow = { db: 'PGlite' | 'PostgreSQL'; kind: 'cold' | 'warm'; total: Stats; ready: Stats; cpu?: Stats; totals: number[]; loadAvg: number };
export type StartupResult = { runs: number; probe: { nodeTsx: Stats; imports: Stats }; rows: StartupRow[] };

const PORT = 3401;
const BUDGET = { cold: 5000, warm: 2000 };
export const startupBudget = BUDGET;

/** One start: spawn, wait for health, read the server's own "ready in", stop. */
type Run = { total: number; ready: number; cpu: number };
async function once(env: NodeJS.ProcessEnv): Promise<Run> {
  const t0 = performance.now();
  const s = startProduct(['serve'], env, PORT);
  try {
    const total = await waitHealthy(s, t0);
    const cpu = cpuMs(s.pid);
    const ready = readyMs(s.stdout());
    if (ready === undefined) throw new Error(`no "ready in" line in output:\n${s.stdout()}`);
    return { total, ready, cpu };
  } finally {
    await stop(s);
  }
}

/** Node + tsx boot, and loading the app's module graph, measured in a separate process. */
function probe(): { nodeTsx: number; imports: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join('bench', 'import-probe.ts')], { cwd: ROOT, env: serverEnv({}), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`import probe failed: ${r.stderr}`);
  const j = JSON.parse(r.stdout.trim().split('\n').pop()!) as { atScriptStart: number; importMs: number };
  return { nodeTsx: j.atScriptStart, imports: j.importMs };
}

async function series(db: StartupRow['db'], runs: number, log: (s: string) => void): Promise<StartupRow[]> {
  const cold: Run[] = [];
  const warm: Run[] = [];
  const dirs: string[] = [];
  const dbs: string[] = [];
  const loads = { cold: NaN, warm: NaN };
  try {
    let keptEnv: NodeJS.ProcessEnv | undefined;
    loads.cold = await waitQuiet(log);
    for (let i = 0; i < runs; i++) {
      const dir = tempDir(`start-${db.toLowerCase()}`);
      dirs.push(dir);
      let url: string | undefined;
      if (db === 'PostgreSQL') {
        const name = `lienthong_bench_cold_${process.pid}_${i}`;
        dbs.push(name);
        url = await createDatabase(name);
      }
      const env = serverEnv({ DATA_DIR: dir, DATABASE_URL: url });
      const r = await once(env);
      cold.push(r);
      log(`  ${db} cold #${i + 1}: ${fmt(r.total)} (server ready in ${r.ready} ms, server CPU ${fmt(r.cpu)})`);
      keptEnv ??= env;
    }
    loads.warm = await waitQuiet(log);
    for (let i = 0; i < runs; i++) {
      const r = await once(keptEnv!);
      warm.push(r);
      log(`  ${db} warm #${i + 1}: ${fmt(r.total)} (server ready in ${r.ready} ms, server CPU ${fmt(r.cpu)})`);
    }
  } finally {
    for (const d of dirs) rmDir(d);
    for (const n of dbs) await dropDatabase(n);
  }
  const row = (kind: StartupRow['kind'], xs: Run[]): StartupRow => ({
    db, kind, total: stats(xs.map((x) => x.total)), ready: stats(xs.map((x) => x.ready)), cpu: stats(xs.map((x) => x.cpu)), totals: xs.map((x) => Math.round(x.total)), loadAvg: loads[kind],
  });
  return [row('cold', cold), row('warm', warm)];
}

export async function runStartup(runs = Number(process.env.BENCH_STARTUP_RUNS ?? 5), log: (s: string) => void = console.log): Promise<StartupResult> {
  log(`startup: ${runs} cold + ${runs} warm starts each on PGlite and PostgreSQL, port ${PORT}`);
  await waitQuiet(log);
  probe(); // primes tsx's transform cache so that no measured run pays for a first transpile
  const probes = Array.from({ length: runs }, probe);
  const p = { nodeTsx: stats(probes.map((x) => x.nodeTsx)), imports: stats(probes.map((x) => x.imports)) };
  log(`  node + tsx boot: median ${fmt(p.nodeTsx.median)}; loading the server's modules: median ${fmt(p.imports.median)}`);
  const rows = [...(await series('PGlite', runs, log)), ...(await series('PostgreSQL', runs, log))];
  return { runs, probe: p, rows };
}

export function startupTable(r: StartupResult): string {
  const lines = [
    '| Database | Start | Budget | Median (spawn → health 200) | Min – max | Server "ready in" (median) | Server CPU until healthy (median) | Runs (ms) | Load avg at start | Verdict |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of r.rows) {
    const budget = BUDGET[row.kind];
    lines.push(
      `| ${row.db} | ${row.kind} | < ${fmt(budget)} | **${fmt(row.total.median)}** | ${fmt(row.total.min)} – ${fmt(row.total.max)} | ${fmt(row.ready.median)} | ${row.cpu ? fmt(row.cpu.median) : '–'} | ${row.totals.join(', ')} | ${row.loadAvg.toFixed(2)} | ${row.total.median < budget ? 'within budget' : '**over budget**'} |`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('startup.ts')) {
  const r = await runStartup();
  console.log('\n' + startupTable(r));
}
