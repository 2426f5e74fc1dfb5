/**
 * Where the time goes: starts LienThong on PGlite (or DATABASE_URL if set) with --cpu-prof, signs in,
 * loads one route with autocannon, stops the server and prints the functions with the most self time.
 * Run: npx tsx bench/profile.ts [/api/me] [seconds]   (the .cpuprofile stays in the printed directory;
 * open it in Chrome DevTools → Performance, or speedscope).
 */
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { type Server, login, serverEnv, startNode, stop, tempDir, waitHealthy } from './lib.js';

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number };

const shortUrl = (url: string) => url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, 'node_modules/').replace(/^.*\/work\/main\//, '');
const groupOf = (short: string, fn: string) =>
  short.startsWith('wasm://') ? '@electric-sql/pglite (WebAssembly)'
  : /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(short)?.[1] ?? (short.startsWith('src/') ? short.split('/').slice(0, 3).join('/') : short.startsWith('node:') ? 'node internals' : fn.startsWith('(') ? fn : 'native');

/**
 * Self time per function and per package, and inclusive time per package / source folder (share of
 * samples with that package anywhere on the stack). Only samples taken after `fromUs` (monotonic µs,
 * the clock of process.hrtime) count, so that startup can be left out.
 */
export function summarize(file: string, top = 25, fromUs = 0): string {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  const incl = new Map<string, number>();
  let t = prof.startTime;
  prof.samples.forEach((id, i) => {
    t += prof.timeDeltas[i] ?? 0;
    if (t < fromUs) return;
    const ms = (prof.timeDeltas[i] ?? 0) / 1000;
    self.set(id, (self.get(id) ?? 0) + ms);
    const groups = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      const g = groupOf(shortUrl(f.url), f.functionName);
      if (g !== 'native' && g !== 'node internals' && !g.startsWith('(')) groups.add(g);
    }
    for (const g of groups) incl.set(g, (incl.get(g) ?? 0) + ms);
  });
  const fns = new Map<string, number>();
  const where = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of self) {
    const f = byId.get(id)!.callFrame;
    total += ms;
    const short = shortUrl(f.url);
    fns.set(`${f.functionName || '(anonymous)'}  ${short}:${f.lineNumber + 1}`, (fns.get(`${f.functionName || '(anonymous)'}  ${short}:${f.lineNumber + 1}`) ?? 0) + ms);
    const pkg = groupOf(short, f.functionName);
    where.set(pkg, (where.get(pkg) ?? 0) + ms);
  }
  const pct = (ms: number) => `${((ms / total) * 100).toFixed(1).padStart(5)} %`;
  const lines = [`total sampled ${Math.round(total)} ms`, '', 'by package / folder (self time):'];
  for (const [k, ms] of [...where].sort((a, b) => b[1] - a[1]).slice(0, 15)) lines.push(`  ${pct(ms)}  ${k}`);
  lines.push('', 'by package / folder (inclusive: on the stack):');
  for (const [k, ms] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 20)) lines.push(`  ${pct(ms)}  ${k}`);
  lines.push('', 'top functions (self time):');
  for (const [k, ms] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(ms)}  ${k}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const route = process.argv[2] ?? '/api/me';
  const seconds = Number(process.argv[3] ?? 8);
  const dir = tempDir('profile');
  const profDir = path.join(dir, 'prof');
  let s: Server | undefined;
  let fromUs: number;
  try {
    s = startNode('src/main.ts', ['serve'], serverEnv({ DATA_DIR: dir, DATABASE_URL: process.env.DATABASE_URL }), 3405, ['--cpu-prof', `--cpu-prof-dir=${profDir}`]);
    await waitHealthy(s, performance.now(), { timeoutMs: 120_000 });
    const token = await login(s.port, 'vanthu.xa');
    fromUs = Number(process.hrtime.bigint() / 1000n);
    const r = await autocannon({ url: `http://127.0.0.1:${s.port}${route}`, connections: 10, duration: seconds, headers: { authorization: `Bearer ${token}` } });
    console.log(`${route}: ${Math.round(r.requests.average)} req/s, p99 ${r.latency.p99} ms (under the profiler)`);
  } finally {
    await stop(s);
  }
  const file = fs.readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no .cpuprofile written');
  console.log(`profile: ${path.join(profDir, file)} (samples from the start of the load only)\n`);
  console.log(summarize(path.join(profDir, file), 25, fromUs));
}

if (process.argv[1]?.endsWith('profile.ts')) await main();
