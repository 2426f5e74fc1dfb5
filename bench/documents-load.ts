/**
 * Closed-loop HTTP load for the document benchmarks: autocannon with a fixed number of connections,
 * every request built by `next()` (so tokens, paths and bodies rotate), every response time kept for
 * exact percentiles; the server's CPU time is read around the run.
 */
import type { EventEmitter } from 'node:events';
import autocannon from 'autocannon';
import { type Server, cpuMs, load1 } from './lib.js';

/** A request; `token` absent for public routes, `headers` for extra ones (e.g. X-Forwarded-For). */
export type Req = { method: 'GET' | 'POST'; path: string; token?: string; body?: unknown; headers?: Record<string, string> };

export type LoadResult = {
  name: string;
  connections: number;
  seconds: number;
  requests: number;
  reqPerSec: number;
  ok: number;
  okPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  statuses: Record<string, number>;
  cpuPerReq: number;
  loadAvg: number;
  /** Statements still running in the database a minute after the load ended, then cancelled. */
  cancelled?: number;
  /** CPU of the database backends serving the run, per request (PostgreSQL only). */
  dbCpuPerReq?: number;
};

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const round = (x: number) => Math.round(x * 10) / 10;

/** Runs `next()`-built requests on `connections` keep-alive connections for `seconds`. */
export async function runLoad(name: string, s: Server, o: { connections: number; seconds: number; next: () => Req }): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const loadAvg = load1();
  const c0 = cpuMs(s.pid);
  const first = o.next();
  const build = (r: Req) => ({
    method: r.method,
    path: r.path,
    headers: { ...(r.token ? { authorization: `Bearer ${r.token}` } : {}), ...r.headers, ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: r.body !== undefined ? JSON.stringify(r.body) : Buffer.alloc(0),
  });
  // Without a callback autocannon returns its instance: an EventEmitter that is also a promise of the result.
  const instance = autocannon({
    url: `http://127.0.0.1:${s.port}`,
    connections: o.connections,
    duration: o.seconds,
    ...build(first),
    // Keeps autocannon's host/port defaults, replaces method, path, headers and body on every request.
    requests: [{ setupRequest: (reqData: object) => ({ ...reqData, ...build(o.next()) }) }],
  }) as unknown as EventEmitter & Promise<autocannon.Result>;
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  const r = await instance;
  const c1 = cpuMs(s.pid);
  latencies.sort((a, b) => a - b);
  const n = latencies.length;
  const ok = Object.entries(statuses).reduce((acc, [k, v]) => (k.startsWith('2') ? acc + v : acc), 0);
  const seconds = r.duration;
  return {
    name, connections: o.connections, seconds, requests: n, reqPerSec: round(n / seconds), ok, okPerSec: round(ok / seconds),
    p50: round(percentile(latencies, 0.5)), p95: round(percentile(latencies, 0.95)), p99: round(percentile(latencies, 0.99)), max: round(latencies[n - 1] ?? NaN),
    non2xx: r.non2xx, errors: r.errors, statuses, cpuPerReq: n ? Math.round(((c1 - c0) / n) * 100) / 100 : NaN, loadAvg: Math.round(loadAvg * 10) / 10,
  };
}

export function describe(r: LoadResult): string {
  return `${r.name}: ${r.requests} requests in ${r.seconds.toFixed(1)} s on ${r.connections} connections — ${r.reqPerSec} req/s (2xx ${r.okPerSec}/s), p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms, max ${r.max} ms; statuses ${JSON.stringify(r.statuses)}, errors ${r.errors}; server CPU ${r.cpuPerReq} ms/req${r.dbCpuPerReq !== undefined ? `, database CPU ${r.dbCpuPerReq} ms/req` : ''}; load avg ${r.loadAvg}`;
}
