/**
 * Shared helpers for the benchmarks: spawning servers, waiting for health, killing them, stats,
 * scratch PostgreSQL databases and machine facts. Every process started here is tracked and killed
 * on exit, even when a benchmark throws.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEMO_PASSWORD = 'LienThong@2026';

export type Server = {
  proc: ChildProcess;
  pid: number;
  port: number;
  stdout: () => string;
  stderr: () => string;
};

const live = new Set<ChildProcess>();
function killAllSync(): void {
  for (const p of live) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
}
process.on('exit', killAllSync);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    killAllSync();
    process.exit(130);
  });
}

/**
 * A fixed SIGNING_KEY for benchmark servers: a server encrypts the demo signing keys with it on its first start on a
 * dataset, and every later run (with a new DATA_DIR, so no DATA_DIR/signing.key) must be able to read them, or it
 * refuses to start.
 */
export const BENCH_SIGNING_KEY = Buffer.alloc(32, 7).toString('base64');

/** Environment for a server under test: the caller's env minus anything that would change the mode. */
export function serverEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['NODE_ENV', 'DEMO_DATA', 'DATABASE_URL', 'DATA_DIR', 'PORT', 'HOST', 'LOG_LEVEL', 'NODE_OPTIONS', 'WEB_DIST_DIR', 'SIGNING_KEY']) delete env[k];
  Object.assign(env, { HOST: '127.0.0.1', LOG_LEVEL: 'warn', SIGNING_KEY: BENCH_SIGNING_KEY }, extra);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env;
}

/**
 * Starts the server the way `npm start` runs it: the compiled `dist/main.js` (built first when it is
 * missing or older than src/, as scripts/ensure-built.mjs does before `npm start`).
 */
export function startProduct(args: string[], env: NodeJS.ProcessEnv, port: number): Server {
  const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'ensure-built.mjs'), 'server'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('could not build the server (npm run build:server)');
  return startCommand(process.execPath, [path.join('dist', 'main.js'), ...args], env, port);
}

/** Starts `node --import tsx <script> ...args` (one process, so pid is the server itself), from `cwd` (default: this checkout). */
export function startNode(script: string, args: string[], env: NodeJS.ProcessEnv, port: number, nodeArgs: string[] = [], cwd = ROOT): Server {
  return startCommand(process.execPath, ['--import', 'tsx', ...nodeArgs, script, ...args], env, port, cwd);
}

export function startCommand(cmd: string, args: string[], env: NodeJS.ProcessEnv, port: number, cwd = ROOT): Server {
  const proc = spawn(cmd, args, { cwd, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  proc.on('exit', () => live.delete(proc));
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return { proc, pid: proc.pid!, port, stdout: () => out, stderr: () => err };
}

/** Polls GET <path> every `everyMs` until it answers 200; resolves with ms since `since`. */
export async function waitHealthy(s: Server, since: number, opts: { path?: string; timeoutMs?: number; everyMs?: number } = {}): Promise<number> {
  const { path: p = '/api/health', timeoutMs = 60_000, everyMs = 20 } = opts;
  const url = `http://127.0.0.1:${s.port}${p}`;
  for (;;) {
    if (s.proc.exitCode !== null || s.proc.signalCode !== null) {
      throw new Error(`server on :${s.port} exited (${s.proc.exitCode ?? s.proc.signalCode}) before becoming healthy\n${s.stdout()}\n${s.stderr()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - since;
    } catch {
      // not listening yet
    }
    if (performance.now() - since > timeoutMs) throw new Error(`server on :${s.port} not healthy after ${timeoutMs} ms\n${s.stdout()}\n${s.stderr()}`);
    await sleep(everyMs);
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
export async function stop(s: Server | undefined, graceMs = 5000): Promise<void> {
  if (!s) return;
  const p = s.proc;
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
  p.kill('SIGTERM');
  const timer = setTimeout(() => p.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The "ready in N ms" the server prints once listening. */
export function readyMs(stdout: string): number | undefined {
  const m = /ready in (\d+) ms/.exec(stdout);
  return m ? Number(m[1]) : undefined;
}

export type Kb = { rssKb: number; hwmKb: number };
/** VmRSS and VmHWM (peak) of a process, from /proc. */
export function memory(pid: number): Kb {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const get = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKb: get('VmRSS'), hwmKb: get('VmHWM') };
}

export type Stats = { n: number; median: number; min: number; max: number };
export function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { n: s.length, median, min: s[0], max: s[s.length - 1] };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `lienthong-bench-${prefix}-`));
}
export function rmDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Creates an empty PostgreSQL database; returns its URL. */
export async function createDatabase(name: string): Promise<string> {
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${ident(name)}`);
  });
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}
export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`)).catch((err: Error) => console.error(`could not drop ${name}: ${err.message}`));
}
async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  return `"${name}"`;
}
export async function postgresVersion(): Promise<string> {
  return withAdmin(async (c) => (await c.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v);
}

export type Machine = { cpus: number; model: string; node: string; os: string; memGb: number };
export function machine(): Machine {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  return { cpus: os.availableParallelism(), model, node: process.version, os: `${os.type()} ${os.release()}`, memGb: Math.round(os.totalmem() / 2 ** 30) };
}

/** Signs in through the API and returns the bearer token. */
export async function login(port: number, username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { token?: string };
  if (res.status !== 200 || !body.token) throw new Error(`login ${username} on :${port} failed: ${res.status} ${JSON.stringify(body)}`);
  return body.token;
}

export const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
export const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;

const CLK_TCK = 100; // Linux USER_HZ; /proc/<pid>/stat counts CPU time in these ticks
/** CPU time (user + system, all threads) a live process has used so far, in ms. */
export function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK; // fields 14 utime, 15 stime
}

/** CPU time so far (ms, from /proc) of the PostgreSQL backends serving the database at `url`, by pid. */
export async function backendsCpu(url: string): Promise<Map<number, number>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const rows = (await c.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)).rows;
    const out = new Map<number, number>();
    for (const { pid } of rows) {
      try {
        out.set(pid, cpuMs(pid));
      } catch {
        // the backend exited meanwhile
      }
    }
    return out;
  } finally {
    await c.end();
  }
}

/** CPU the backends used between two `backendsCpu` readings (backends that started meanwhile count from 0). */
export const cpuBetween = (a: Map<number, number>, b: Map<number, number>): number => [...b].reduce((acc, [pid, ms]) => acc + ms - (a.get(pid) ?? 0), 0);

export const load1 = () => os.loadavg()[0];

/**
 * The machine is shared: wait (up to `maxWaitMs`) until the 1-minute load average drops under
 * `threshold`, so that a measurement does not start in the middle of someone else's test run.
 * Returns the load average when it starts.
 */
export async function waitQuiet(log: (s: string) => void, threshold = Number(process.env.BENCH_QUIET_LOAD ?? 1.5), maxWaitMs = Number(process.env.BENCH_QUIET_WAIT_MS ?? 60_000)): Promise<number> {
  const t0 = Date.now();
  let told = false;
  while (load1() >= threshold && Date.now() - t0 < maxWaitMs) {
    if (!told) log(`  (load average ${load1().toFixed(2)} ≥ ${threshold}; waiting up to ${maxWaitMs / 1000} s for the machine to calm down)`);
    told = true;
    await sleep(5000);
  }
  return load1();
}

/**
 * The source tree of a commit, unpacked into a temporary directory with this checkout's node_modules
 * linked in: a benchmark measures committed code, not whatever is being edited in the working tree.
 */
export function checkoutOf(rev: string): { dir: string; commit: string } {
  const commit = spawnSync('git', ['rev-parse', '--short', rev], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  if (!commit) throw new Error(`unknown revision ${rev}`);
  const dir = tempDir(`src-${commit}`);
  const r = spawnSync('sh', ['-c', `git archive ${commit} | tar -x -C "${dir}"`], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`git archive ${commit} failed`);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return { dir, commit };
}
