/**
 * Preload for the query-count probe only (never for timed runs):
 *   node --import tsx --import ./bench/count-queries.ts src/main.ts serve
 * Counts the statements the server sends to the database (pg Client#query, PGlite#query/#exec) and
 * prints `queries=<n>` on stdout on SIGUSR2.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

let count = 0;
type Fn = (...args: unknown[]) => unknown;
function wrap(proto: object, name: string): void {
  const target = proto as Record<string, Fn>;
  const original = target[name];
  target[name] = function (this: unknown, ...args: unknown[]) {
    count++;
    return original.apply(this, args);
  };
}
wrap(pg.Client.prototype, 'query');
wrap(PGlite.prototype, 'query');
wrap(PGlite.prototype, 'exec');
process.on('SIGUSR2', () => console.log(`queries=${count}`));
