/**
 * Fills a PostgreSQL database with one province-year of one-stop dossiers: the demo province grown to
 * 301 agencies (bench/documents-directory.ts) with a one-stop officer each, the demo procedure catalogue,
 * and N dossiers (default 1,000,000) received over the last 365 days by 300 units (20 departments, 280
 * communes; a department receives three times what a commune does), with their history (~6 actions
 * each), receiving units and code counters. Set-based INSERT … SELECT (bench/dossiers-sql.ts), with the
 * loaded tables' keys and indexes dropped during the load and rebuilt from their own definitions.
 *
 *   npx tsx bench/dossiers-generate.ts                         # 1,000,000 into lienthong_bench_dossiers
 *   npx tsx bench/dossiers-generate.ts --dossiers 100000 --database lienthong_bench_dossiers_100k
 *
 * The database (its name must start with lienthong_bench_) is re-created.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hashPassword } from '../src/core/auth/password.js';
import { migrateDatabase } from '../src/core/db/index.js';
import { localFileStore } from '../src/core/files/index.js';
import { newId } from '../src/core/ids/index.js';
import { DEMO_PASSWORD, seedDemo } from '../src/modules/directory/index.js';
import { seedDemoProcedures } from '../src/modules/procedures/index.js';
import { chunkedLoader, dropKeysAndIndexes, finishLoad, open, rowCounts, stepTimer } from './documents-generate.js';
import { buildDirectory, insertJson, loadAgencyTable } from './documents-directory.js';
import { SEARCH_TEXT_FUNCTIONS } from './documents-sql.js';
import { COUNTERS_SQL, PROCEDURE_CASES, UNITS_SQL, actionsSql, dossiersSql, stageSql } from './dossiers-sql.js';
import { fmt, tempDir } from './lib.js';

export const DOSSIER_TABLES = ['dossiers', 'dossier_actions', 'dossier_units', 'dossier_code_counters'];
/** The account that sees the whole province's statistics (leader at the province's root unit). */
export const PROVINCE_LEADER = 'lanhdao.ubnd';

type Options = { dossiers: number; database?: string; log: (s: string) => void };

export async function generate(o: Options): Promise<{ url?: string; seconds: number }> {
  const log = o.log;
  const { step, seconds } = stepTimer(log);
  const { database, sql, release, url } = await open({ database: o.database }, 'lienthong_bench_dossiers');
  const files = tempDir('dossiers-forms');
  try {
    await migrateDatabase(database);
    const now = new Date();
    const ctx = { actorId: null, actorName: 'Hệ thống', unitId: null, requestId: null, ip: null, now };
    await seedDemo(database.db, ctx);
    if (!(await seedDemoProcedures(database, localFileStore(files), now))) throw new Error('the demo procedure catalogue was not loaded');
    step('database created, migrations applied, demo province and procedures');
    await sql.exec(`SET temp_buffers = '3GB'; SET work_mem = '512MB'; SET maintenance_work_mem = '1GB'; SET synchronous_commit = off; SET jit = off`);
    const agencies = await buildDirectory(sql, now);
    await loadAgencyTable(sql, agencies);

    // A one-stop officer per agency (Tân An keeps the demo's motcua.xa), and a leader of the whole province.
    const hash = await hashPassword(DEMO_PASSWORD);
    const at = now.toISOString();
    const [demoDesk] = await sql.query<{ id: string; full_name: string }>(`SELECT id, full_name FROM users WHERE username = 'motcua.xa'`);
    const [root] = await sql.query<{ id: string }>(`SELECT id FROM units WHERE agency_code = '000.00.00.H99'`);
    const users: object[] = [];
    const officials: object[] = [];
    const roles: object[] = [];
    const person = (username: string, fullName: string, unitId: string, role: string, position: string) => {
      const id = newId();
      users.push({ id, kind: 'official', username, full_name: fullName, email: `${username}@thaihoa.gov.vn`, password_hash: hash, created_at: at, updated_at: at, password_changed_at: at });
      officials.push({ user_id: id, unit_id: unitId, position_title: position });
      roles.push({ user_id: id, unit_id: unitId, role });
      return id;
    };
    const desks = agencies.map((a) => {
      if (a.agencyCode === '000.01.31.H99') return { idx: a.idx, desk_id: demoDesk.id, desk_name: demoDesk.full_name };
      const name = `${a.specialists[4].name.split(' ')[0]} Thị Một Cửa ${a.idx}`;
      return { idx: a.idx, desk_id: person(`motcua.a${a.idx}`, name, a.unitId, 'onestop_officer', 'Công chức Bộ phận Một cửa'), desk_name: name };
    });
    person(PROVINCE_LEADER, 'Nguyễn Văn Tỉnh', root.id, 'leader', 'Chủ tịch UBND tỉnh');
    await insertJson(sql, 'users', 'id uuid, kind text, username text, full_name text, email text, password_hash text, created_at timestamptz, updated_at timestamptz, password_changed_at timestamptz', users);
    await insertJson(sql, 'officials', 'user_id uuid, unit_id uuid, position_title text', officials);
    await insertJson(sql, 'role_assignments', 'user_id uuid, unit_id uuid, role text', roles, 'ON CONFLICT DO NOTHING');
    await sql.exec(`DROP TABLE IF EXISTS bench_desk; CREATE TEMP TABLE bench_desk (idx int PRIMARY KEY, desk_id uuid, desk_name text)`);
    await sql.query(`INSERT INTO bench_desk SELECT * FROM json_to_recordset($1::json) AS x(idx int, desk_id uuid, desk_name text)`, [JSON.stringify(desks)]);

    // Procedure cases and the versions' validity (a dossier keeps the version in force when received).
    await sql.exec(`DROP TABLE IF EXISTS bench_pc; CREATE TEMP TABLE bench_pc (k int PRIMARY KEY, procedure_id uuid, case_key text, days int, online boolean, post boolean)`);
    await sql.query(
      `INSERT INTO bench_pc SELECT x.k, p.id, x.case_key, x.days, x.online, x.post FROM json_to_recordset($1::json) AS x(k int, code text, case_key text, days int, online boolean, post boolean)
         JOIN procedures p ON p.code = x.code`,
      [JSON.stringify(PROCEDURE_CASES.map((c, i) => ({ k: i + 1, code: c.code, case_key: c.caseKey, days: c.days, online: c.online, post: c.post })))],
    );
    await sql.exec(`CREATE TEMP TABLE bench_v AS SELECT procedure_id, id,
        CASE WHEN lag(effective_from) OVER w IS NULL THEN '-infinity'::timestamptz ELSE effective_from END AS valid_from,
        coalesce(lead(effective_from) OVER w, 'infinity'::timestamptz) AS valid_to
      FROM procedure_versions WINDOW w AS (PARTITION BY procedure_id ORDER BY effective_from, version)`);
    await sql.exec(SEARCH_TEXT_FUNCTIONS); // pg_temp.lt_uuid
    step(`directory: ${agencies.length} agencies with one-stop officers, ${PROCEDURE_CASES.length} procedure cases`);

    const { restore } = await dropKeysAndIndexes(sql, DOSSIER_TABLES);
    step(`dropped ${restore.length} keys/indexes of ${DOSSIER_TABLES.join(', ')}`);
    const today = new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
    await sql.exec(stageSql({
      count: o.dossiers, today, now: at,
      departments: agencies.filter((a) => a.kind === 'department').map((a) => a.idx),
      communes: agencies.filter((a) => a.kind === 'commune').map((a) => a.idx),
    }));
    await sql.exec('CREATE INDEX ON bench_stage (n); ANALYZE bench_stage');
    step(`staging table: ${o.dossiers.toLocaleString('en')} dossiers, the 365 days to ${today}`);

    const chunked = chunkedLoader(sql, o.dossiers, log);
    await chunked('dossiers', (a, b) => dossiersSql(a, b, at));
    step('dossiers');
    await chunked('actions', (a, b) => actionsSql(a, b, at));
    step('actions');
    await sql.exec(UNITS_SQL);
    await sql.exec(COUNTERS_SQL);
    step('receiving units, code counters');
    await finishLoad(sql, restore, DOSSIER_TABLES, log, step);

    const [bad] = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM dossiers d WHERE (d.status IN (9, 10) AND d.completed_at IS NULL) OR (d.status IN (3, 7, 8, 10) AND d.closed_at IS NULL)
          OR NOT EXISTS (SELECT 1 FROM dossier_actions a WHERE a.dossier_id = d.id AND a.seq = 1)`,
    );
    if (bad.n) throw new Error(`${bad.n} dossiers are inconsistent (status without its time, or without history)`);
    step('checked: statuses carry their times, every dossier has a history');
    log(`  rows: ${await rowCounts(sql, DOSSIER_TABLES)}`);
    const mix = await sql.query<{ k: string; n: number }>(
      `SELECT 'status ' || status AS k, count(*)::int AS n FROM dossiers GROUP BY status UNION ALL
       SELECT 'channel ' || channel, count(*)::int FROM dossiers GROUP BY channel UNION ALL
       SELECT 'outcome ' || step_outcome, count(*)::int FROM dossier_actions WHERE action = 'return' GROUP BY step_outcome ORDER BY 1`,
    );
    log(`  mix: ${mix.map((m) => `${m.k}: ${m.n.toLocaleString('en')}`).join(', ')}`);
    const [size] = await sql.query<{ s: string }>(`SELECT pg_size_pretty(pg_database_size(current_database())) AS s`);
    log(`  database size: ${size.s}`);
    return { url, seconds: seconds() };
  } finally {
    release();
    await database.close();
    fs.rmSync(files, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.basename(process.argv[1]).startsWith('dossiers-generate')) {
  const { values } = parseArgs({ options: { dossiers: { type: 'string', default: '1000000' }, database: { type: 'string' } } });
  const o: Options = { dossiers: Number(values.dossiers), database: values.database, log: console.log };
  console.log(`generating ${o.dossiers.toLocaleString('en')} dossiers into PostgreSQL database ${o.database ?? 'lienthong_bench_dossiers'}`);
  const r = await generate(o);
  console.log(`done in ${fmt(r.seconds * 1000)}${r.url ? `; DATABASE_URL=${r.url}` : ''}`);
}
