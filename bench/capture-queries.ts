/**
 * Preload for the EXPLAIN step of bench/documents.ts only (never for timed runs):
 *   BENCH_CAPTURE_FILE=/tmp/q.jsonl node --import tsx --import ./bench/capture-queries.ts src/main.ts serve
 * Appends every statement the server sends through `pg` (text and parameters) as one JSON line, so the
 * benchmark can EXPLAIN (ANALYZE, BUFFERS) exactly what the application ran.
 */
import fs from 'node:fs';
import pg from 'pg';

const file = process.env.BENCH_CAPTURE_FILE;
type Fn = (...args: unknown[]) => unknown;
if (file) {
  const proto = pg.Client.prototype as unknown as Record<string, Fn>;
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const [a, b] = args;
    // query(text, values) or query({ text, values? }, values?) — Drizzle passes the values separately.
    const cfg = typeof a === 'string' ? { text: a } : (a as { text?: string; values?: unknown[] } | undefined);
    const values = Array.isArray(b) ? b : (cfg?.values ?? []);
    if (cfg?.text) fs.appendFileSync(file, JSON.stringify({ text: cfg.text, values }) + '\n');
    return original.apply(this, args);
  };
}
