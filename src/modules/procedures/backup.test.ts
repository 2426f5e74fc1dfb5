import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup, restore } from '../../core/backup/index.js';
import { type Database, queryRows } from '../../core/db/index.js';
import { localFileStore } from '../../core/files/index.js';
import { openTestDatabase, type TestContext } from '../../test/harness.js';
import { procedureVersionAt } from './read.js';
import { createCatalogueApp, procedureIdByCode, SETUP_MS } from './testing.js';

// The catalogue's jsonb record and uuid[] form list survive a backup and a restore into an empty database.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lienthong-proc-backup-'));
let t: TestContext;
let target: { database: Database; drop(): Promise<void> };
beforeAll(async () => {
  t = await createCatalogueApp();
  target = await openTestDatabase();
}, SETUP_MS);
afterAll(async () => {
  await t?.close();
  await target?.database.close();
  await target?.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const rows = async (db: Database['db'], table: string) =>
  (await queryRows<{ r: string }>(db, sql`SELECT row_to_json(x)::text AS r FROM ${sql.raw(table)} x`)).map((r) => r.r).sort();

describe('catalogue backup', () => {
  it('restores procedures, versions and process steps as they were', async () => {
    const file = path.join(tmp, 'b.tar.gz');
    await backup(t.database.db, t.app.fileStore, file, { version: 'test', database: t.database.kind });
    await restore(target.database.db, localFileStore(path.join(tmp, 'files')), file);
    for (const table of ['procedures', 'procedure_versions', 'procedure_process_steps']) {
      expect(await rows(target.database.db, table), table).toEqual(await rows(t.database.db, table));
    }
    const v = await procedureVersionAt(target.database.db, await procedureIdByCode(t, '2.000488'), new Date());
    expect(v?.record.twoLevel?.decidingLevel).toBe('province');
    const [{ n }] = await queryRows<{ n: number }>(target.database.db, sql`SELECT count(*)::int AS n FROM procedure_versions WHERE cardinality(form_file_ids) > 0`);
    expect(n).toBe(5);
  }, SETUP_MS);
});
