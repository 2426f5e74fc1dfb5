/**
 * Fills a database with a province-sized document dataset: the demo province grown to 301 agencies
 * (~860 units, ~2,700 officials), and N documents over 3 years (70 % incoming) with register books and
 * counters, assignments (~2.5 per incoming document), read marks and a timeline (~4 events per document).
 * The schema comes from the real migrations; the data from set-based INSERT … SELECT statements, with
 * the indexes and keys of the loaded tables dropped during the load and rebuilt from their own definitions.
 *
 *   npx tsx bench/documents-generate.ts --documents 1000000                 # PostgreSQL, database lienthong_bench_docs
 *   npx tsx bench/documents-generate.ts --documents 100000 --database lienthong_bench_docs_100k
 *   npx tsx bench/documents-generate.ts --documents 100000 --pglite /tmp/lienthong-docs-100k   # a PGlite DATA_DIR
 *
 * The PostgreSQL database (name must start with lienthong_bench_) or the PGlite directory is re-created.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Database, migrateDatabase, openDatabase } from '../src/core/db/index.js';
import { seedDemo } from '../src/modules/directory/demo.js';
import { numberSymbolOf } from '../src/modules/documents/detail.js';
import { buildSearchText, foldText } from '../src/modules/documents/text.js';
import { EXTERNAL_ISSUERS, NOUNS, TEMPLATES } from './documents-data.js';
import { type Agency, buildDirectory, loadAgencyTable } from './documents-directory.js';
import { COUNTERS_SQL, READS_SQL, SEARCH_TEXT_FUNCTIONS, type Sql, assignmentsSql, documentsSql, eventsSql, lit, stageSql } from './documents-sql.js';
import { createDatabase, fmt } from './lib.js';

export const LOADED_TABLES = ['documents', 'assignments', 'document_events', 'document_reads', 'register_counters'];

type Options = { documents: number; database?: string; pglite?: string; years: number; incomingShare: number; log: (s: string) => void };

/** Re-creates the target and opens one session on it (also used by bench/dossiers-generate.ts). */
export async function open(o: Pick<Options, 'database' | 'pglite'>, defaultName = 'lienthong_bench_docs'): Promise<{ database: Database; sql: Sql; release: () => void; url?: string }> {
  if (o.pglite) {
    fs.rmSync(o.pglite, { recursive: true, force: true });
    fs.mkdirSync(o.pglite, { recursive: true });
    const database = await openDatabase({ dataDir: o.pglite });
    const pg = database.pglite!;
    return { database, sql: { query: async (t, p) => (await pg.query(t, p)).rows as never, exec: async (t) => void (await pg.exec(t)) }, release: () => undefined };
  }
  const name = o.database ?? defaultName;
  if (!/^lienthong_bench_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to re-create database "${name}": the name must start with lienthong_bench_`);
  const url = await createDatabase(name);
  const database = await openDatabase({ databaseUrl: url, poolMax: 2 });
  const client = await database.pool!.connect();
  return { database, url, sql: { query: async (t, p) => (await client.query(t, p as unknown[])).rows, exec: async (t) => void (await client.query(t)) }, release: () => client.release() };
}

/** The keys and indexes of the loaded tables, as SQL to re-create them (read from the catalog, i.e. exactly what the migrations made). */
export async function dropKeysAndIndexes(sql: Sql, tables: readonly string[] = LOADED_TABLES): Promise<{ restore: { what: string; sql: string }[] }> {
  const list = tables.map(lit).join(',');
  const cons = await sql.query<{ tbl: string; name: string; def: string; type: string }>(
    `SELECT conrelid::regclass::text AS tbl, conname AS name, pg_get_constraintdef(oid) AS def, contype AS type FROM pg_constraint
     WHERE contype IN ('p', 'u', 'f') AND (conrelid::regclass::text IN (${list}) OR (contype = 'f' AND confrelid::regclass::text IN (${list})))`,
  );
  const idx = await sql.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = 'public' AND tablename IN (${list})
       AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))`,
  );
  const q = (s: string) => `"${s}"`;
  for (const c of cons.filter((x) => x.type === 'f')) await sql.exec(`ALTER TABLE ${c.tbl} DROP CONSTRAINT ${q(c.name)}`);
  for (const c of cons.filter((x) => x.type !== 'f')) await sql.exec(`ALTER TABLE ${c.tbl} DROP CONSTRAINT ${q(c.name)}`);
  for (const i of idx) await sql.exec(`DROP INDEX ${q(i.name)}`);
  return {
    restore: [
      ...cons.filter((x) => x.type !== 'f').map((c) => ({ what: c.name, sql: `ALTER TABLE ${c.tbl} ADD CONSTRAINT ${q(c.name)} ${c.def}` })),
      ...idx.map((i) => ({ what: i.name, sql: i.def })),
      ...cons.filter((x) => x.type === 'f').map((c) => ({ what: c.name, sql: `ALTER TABLE ${c.tbl} ADD CONSTRAINT ${q(c.name)} ${c.def}` })),
    ],
  };
}

/** Logs each step of a generation with its own time and the running total. */
export function stepTimer(log: (line: string) => void): { step: (what: string) => void; seconds: () => number } {
  const t0 = performance.now();
  let tStep = t0;
  return {
    step(what) {
      const t = performance.now();
      log(`  ${what.padEnd(58)} ${fmt(t - tStep).padStart(8)}   (total ${fmt(t - t0)})`);
      tStep = t;
    },
    seconds: () => (performance.now() - t0) / 1000,
  };
}

/** Runs `make(a, b)` over the rows 1…total in chunks of a tenth (at least 50,000), logging each chunk's time. */
export function chunkedLoader(sql: Sql, total: number, log: (line: string) => void) {
  const chunk = Math.max(50_000, Math.ceil(total / 10));
  return async (what: string, make: (a: number, b: number) => string): Promise<void> => {
    for (let a = 1; a <= total; a += chunk) {
      const b = Math.min(total, a + chunk - 1);
      const t = performance.now();
      await sql.exec(make(a, b));
      log(`    ${what} ${a.toLocaleString('en')}–${b.toLocaleString('en')}: ${fmt(performance.now() - t)}`);
    }
  };
}

/** After a load: the dropped keys and indexes rebuilt (each timed), the staging table dropped, the loaded tables vacuumed and analysed. */
export async function finishLoad(sql: Sql, restore: { what: string; sql: string }[], tables: readonly string[], log: (line: string) => void, step: (what: string) => void): Promise<void> {
  for (const r of restore) {
    const t = performance.now();
    await sql.exec(r.sql);
    log(`    ${r.what}: ${fmt(performance.now() - t)}`);
  }
  step('keys and indexes rebuilt');
  await sql.exec(`DROP TABLE bench_stage`);
  for (const t of tables) await sql.exec(`VACUUM (ANALYZE) ${t}`);
  step('vacuum + analyze');
}

/** "table n, table n, …" of the loaded tables. */
export async function rowCounts(sql: Sql, tables: readonly string[]): Promise<string> {
  const counts = await sql.query<{ t: string; n: number }>(tables.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM ${t}`).join(' UNION ALL '));
  return counts.map((c) => `${c.t} ${c.n.toLocaleString('en')}`).join(', ');
}

/** The SQL folding must give exactly what the application's foldText/buildSearchText give. */
async function checkFold(sql: Sql, agencies: Agency[]): Promise<number> {
  const samples = [
    ...NOUNS, ...TEMPLATES.map((t) => t.text), ...EXTERNAL_ISSUERS.map((e) => e[0]), ...agencies.flatMap((a) => [a.issuerName, a.leader.name, a.clerk.name]),
    'Quyết định 15/QĐ-UBND', 'V/v  triển khai\tĐề án 06 (dữ liệu dân cư)!', 'ĐỊNH HỎA TỐC – Thượng khẩn', '  ', '12/2026/QĐ-UBND', 'Sở Văn hóa, Thể thao và Du lịch', 'Ưu tiên: ơ ư đ Đ',
  ];
  const rows = await sql.query<{ s: string; f: string }>(`SELECT s, pg_temp.lt_fold(s) AS f FROM json_array_elements_text($1::json) s`, [JSON.stringify(samples)]);
  const bad = rows.filter((r) => r.f !== foldText(r.s));
  if (bad.length) throw new Error(`SQL fold differs from foldText for ${bad.length} strings, e.g. ${JSON.stringify(bad[0])} vs ${JSON.stringify(foldText(bad[0].s))}`);
  return rows.length;
}

/** Rebuilds search_text in TypeScript for a random sample of generated rows and compares. */
async function checkSearchText(sql: Sql, n: number): Promise<number> {
  const rows = await sql.query<{ unit_id: string; subject: string; code_number: number | null; code_notation: string | null; issuer_name: string; signer_name: string | null; search_text: string }>(
    `SELECT unit_id, subject, code_number, code_notation, issuer_name, signer_name, search_text FROM documents TABLESAMPLE SYSTEM (1) LIMIT ${n}`,
  );
  for (const r of rows) {
    const ts = buildSearchText({ unitId: r.unit_id, subject: r.subject, numberSymbol: numberSymbolOf({ codeNumber: r.code_number, codeNotation: r.code_notation }), issuerName: r.issuer_name, signerName: r.signer_name });
    if (ts !== r.search_text) throw new Error(`search_text differs from buildSearchText:\n  SQL ${r.search_text}\n  TS  ${ts}`);
  }
  return rows.length;
}

export async function generate(o: Options): Promise<{ url?: string; seconds: number }> {
  const log = o.log;
  const { step, seconds } = stepTimer(log);
  const { database, sql: session, release, url } = await open(o);
  // BENCH_GEN_EXPLAIN=1 prints the plan and timing of each big load statement (for tuning the generator).
  const sql: Sql = process.env.BENCH_GEN_EXPLAIN
    ? {
        ...session,
        exec: async (t) => {
          if (!/^\s*(CREATE TEMP TABLE|INSERT)/.test(t)) return session.exec(t);
          const plan = await session.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${t}`);
          log(plan.map((r) => `      ${r['QUERY PLAN']}`).join('\n'));
        },
      }
    : session;
  try {
    await migrateDatabase(database);
    const now = new Date();
    await seedDemo(database.db, { actorId: null, actorName: 'Hệ thống', unitId: null, requestId: null, ip: null, now });
    step('database created, migrations applied, demo province seeded');
    if (database.kind === 'postgresql') {
      await sql.exec(`SET temp_buffers = '3GB'; SET work_mem = '512MB'; SET maintenance_work_mem = '1GB'; SET synchronous_commit = off; SET jit = off`);
    }
    const agencies = await buildDirectory(sql, now);
    await loadAgencyTable(sql, agencies);
    step(`directory: ${agencies.length} agencies, officials, register books`);
    await sql.exec(SEARCH_TEXT_FUNCTIONS);
    const folded = await checkFold(sql, agencies);
    step(`SQL search-text functions (fold checked on ${folded} strings)`);
    const { restore } = await dropKeysAndIndexes(sql);
    step(`dropped ${restore.length} keys/indexes of ${LOADED_TABLES.join(', ')}`);

    const day = 86_400_000;
    const local = (t: number) => new Date(t + 7 * 3_600_000).toISOString().slice(0, 10);
    const today = local(now.getTime());
    const startDate = local(now.getTime() - o.years * 365 * day);
    const days = Math.round((Date.parse(today) - Date.parse(startDate)) / day);
    await sql.exec(stageSql({ first: 1, count: o.documents, startDate, days, today, now: now.toISOString(), incomingShare: o.incomingShare }, agencies));
    await sql.exec('ANALYZE bench_stage');
    step(`staging table: ${o.documents.toLocaleString('en')} documents, ${startDate} … ${today}`);

    const chunked = chunkedLoader(sql, o.documents, log);
    await chunked('documents', (a, b) => documentsSql(agencies, a, b));
    step('documents');
    await sql.exec(`${assignmentsSql(agencies, now.toISOString())}`);
    step('assignments');
    await chunked('timeline', (a, b) => eventsSql(a, b));
    step('timeline events');
    await sql.exec(READS_SQL);
    await sql.exec(COUNTERS_SQL);
    step('read marks, register counters');
    await finishLoad(sql, restore, LOADED_TABLES, log, step);

    const checked = await checkSearchText(sql, 500);
    const [dup] = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM documents WHERE arrival_number IS NOT NULL GROUP BY book_id, extract(year FROM pg_temp.lt_local(arrival_at)), arrival_number HAVING count(*) > 1) x`,
    );
    const [gap] = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM register_counters c FULL JOIN (
         SELECT book_id, extract(year FROM pg_temp.lt_local(coalesce(arrival_at, issued_at)))::int AS year, count(*) AS n, max(coalesce(arrival_number, code_number)) AS top
         FROM documents WHERE book_id IS NOT NULL GROUP BY 1, 2) d USING (book_id, year)
       WHERE c.last_number IS DISTINCT FROM d.n OR d.n IS DISTINCT FROM d.top`,
    );
    if (dup.n || gap.n) throw new Error(`numbering inconsistent: ${dup.n} duplicated arrival numbers, ${gap.n} counters not equal to their book's count`);
    step(`checked: search_text of ${checked} sampled rows = buildSearchText; numbers unique and gap-free per book/year`);

    log(`  rows: ${await rowCounts(sql, LOADED_TABLES)}`);
    const mix = await sql.query<{ k: string; n: number }>(
      `SELECT direction || ':' || status AS k, count(*)::int AS n FROM documents GROUP BY 1 UNION ALL
       SELECT 'assignment:' || status, count(*)::int FROM assignments GROUP BY 1 UNION ALL
       SELECT 'open overdue', count(*)::int FROM assignments WHERE status IN ('pending', 'in_progress') AND due_date < ${lit(today)}::date UNION ALL
       SELECT 'open near due (≤ 2 days)', count(*)::int FROM assignments WHERE status IN ('pending', 'in_progress') AND due_date BETWEEN ${lit(today)}::date AND ${lit(today)}::date + 2 UNION ALL
       SELECT 'secret', count(*)::int FROM documents WHERE secrecy <> 'none' ORDER BY 1`,
    );
    log(`  mix: ${mix.map((m) => `${m.k} ${m.n.toLocaleString('en')}`).join(', ')}`);
    if (database.kind === 'postgresql') {
      const [size] = await sql.query<{ s: string }>(`SELECT pg_size_pretty(pg_database_size(current_database())) AS s`);
      log(`  database size: ${size.s}`);
    }
    return { url, seconds: seconds() };
  } finally {
    release();
    await database.close();
  }
}

if (process.argv[1] && path.basename(process.argv[1]).startsWith('documents-generate')) {
  const { values } = parseArgs({
    options: { documents: { type: 'string', default: '1000000' }, database: { type: 'string' }, pglite: { type: 'string' }, years: { type: 'string', default: '3' }, incoming: { type: 'string', default: '0.7' } },
  });
  const o: Options = { documents: Number(values.documents), database: values.database, pglite: values.pglite, years: Number(values.years), incomingShare: Number(values.incoming), log: console.log };
  console.log(`generating ${o.documents.toLocaleString('en')} documents into ${o.pglite ? `PGlite ${o.pglite}` : `PostgreSQL database ${o.database ?? 'lienthong_bench_docs'}`}`);
  const r = await generate(o);
  console.log(`done in ${fmt(r.seconds * 1000)}${r.url ? `; DATABASE_URL=${r.url}` : ''}`);
}
