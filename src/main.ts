import path from 'node:path';
import { buildApp } from './app.js';
import { ConfigError, type Config, loadConfig } from './config.js';
import { type ActorContext, verifyAuditChain } from './core/audit/index.js';
import { backup, restore } from './core/backup/index.js';
import { purgeExpiredSessions } from './core/auth/sessions.js';
import { type Database, migrateDatabase, openDatabase, redact } from './core/db/index.js';
import { localFileStore } from './core/files/index.js';
import { DEMO_OFFICIALS, DEMO_CITIZEN, bootstrapAdmin, seedDemo } from './modules/directory/index.js';
import { seedDemoDocuments } from './modules/documents/index.js';
import { CliUsageError, runCaCommand, seedDemoSigning, setupSigning } from './modules/signing/index.js';
import { seedDemoProcedures } from './modules/procedures/index.js';
import { AppError } from './core/errors/index.js';
import { startBackgroundJobs } from './jobs.js';

const USAGE = `lienthong <command>
  serve            start the server (migrates; loads demo data on first start unless production)
  migrate          apply database migrations
  seed-demo        load the demo province and accounts (idempotent)
  backup <file>    write a .tar.gz backup (database + files)
  restore <file>   restore a backup into an empty database
  audit-verify     check the audit log's hash chain; exits 1 at the first broken link
  create-admin <username> --name "<full name>" --unit "<unit name>" --code <agency id> [--level province|commune|…]
                   first system admin of a production deployment; password from LIENTHONG_ADMIN_PASSWORD
  openapi <file>   write the OpenAPI document
  ca <command>     demo certificate authority: ca init | ca issue --user <username> | ca issue --unit <agency id> | ca export-root [file]`;

const systemActor = (): ActorContext => ({ actorId: null, actorName: 'Hệ thống', unitId: null, requestId: null, ip: null, now: new Date() });

async function withDb<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: config.databasePoolMax });
  try {
    await migrateDatabase(database);
    return await fn(database);
  } finally {
    await database.close();
  }
}

function where(config: Config): string {
  return config.databaseUrl ? `PostgreSQL ${redact(config.databaseUrl)}` : `PGlite ${path.join(config.dataDir, 'pgdata')}`;
}

async function serve(config: Config): Promise<void> {
  const t0 = performance.now();
  const app = await buildApp({ config });
  let seeded = false;
  if (config.demoData) seeded = await seedDemo(app.db, systemActor());
  await app.listen({ port: config.port, host: config.host });
  const ms = Math.round(performance.now() - t0);
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const lines = [
    `LienThong ${config.version} đang chạy tại http://${shown}:${config.port}  (ready in ${ms} ms)`,
    `  Cơ sở dữ liệu: ${where(config)}`,
  ];
  if (config.env !== 'production' && config.demoData) {
    lines.push(`  ${seeded ? 'Đã nạp dữ liệu mẫu.' : 'Dữ liệu mẫu đã có.'} Tài khoản mẫu: xem README.md, mục "Demo accounts" (${DEMO_OFFICIALS.map((o) => o.username).join(', ')}, ${DEMO_CITIZEN.username}).`);
  }
  console.log(lines.join('\n'));
  // Demo documents in every state of the inbox, made through the real services (first start only),
  // after the server is up: they take a second or two and nobody needs them before signing in.
  if (seeded) {
    seedDemoDocuments(app.database, app.fileStore, new Date()).then(
      () => app.log.info('demo documents loaded'),
      (err: unknown) => app.log.error({ err }, 'demo documents could not be loaded'),
    );
  }
  // Demo signing data (demo CA, leaders' and agencies' keys with the demo PIN, signature and seal images)
  // whenever the demo province has none yet; needs a signing key (SIGNING_KEY, or DATA_DIR/signing.key in development).
  if (config.demoData) {
    seedDemoSigning(app.db, app.signing, app.fileStore, new Date()).then(
      (done) => done && app.log.info('demo signing credentials loaded'),
      (err: unknown) => app.log.error({ err }, 'demo signing credentials could not be loaded'),
    );
  }
  // The demo procedure catalogue whenever the demo province has none yet (also for demo databases made
  // before the catalogue existed); idempotent, and a no-op outside the demo province.
  if (config.demoData) {
    seedDemoProcedures(app.database, app.fileStore, new Date()).then(
      (done) => done && app.log.info('demo procedure catalogue loaded'),
      (err: unknown) => app.log.error({ err }, 'demo procedure catalogue could not be loaded'),
    );
  }
  const jobs = startBackgroundJobs(app, config);
  const sweep = setInterval(() => void purgeExpiredSessions(app.db, new Date(), config.sessionIdleMs).catch((err) => app.log.warn({ err }, 'session purge failed')), 15 * 60_000);
  sweep.unref();
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    clearInterval(sweep);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    // Background jobs first (the round in progress finishes), then in-flight requests.
    jobs
      .stop()
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (err) => {
          app.log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, arg] = argv;
  const config = loadConfig();
  const store = () => localFileStore(path.join(config.dataDir, 'files'));
  switch (cmd) {
    case 'serve':
    case undefined:
      await serve(config);
      return -1; // keep running
    case 'migrate':
      await withDb(config, async () => undefined);
      console.log(`Đã cập nhật lược đồ: ${where(config)}`);
      return 0;
    case 'seed-demo': {
      const done = await withDb(config, async (d) => {
        const directory = await seedDemo(d.db, systemActor());
        const docs = await seedDemoDocuments(d, store(), new Date());
        const catalogue = await seedDemoProcedures(d, store(), new Date());
        const signing = await seedDemoSigning(d.db, await setupSigning(d.db, config), store(), new Date());
        return directory || docs || catalogue || signing;
      });
      console.log(done ? 'Đã nạp dữ liệu mẫu.' : 'Dữ liệu mẫu đã có, không làm gì.');
      return 0;
    }
    case 'ca': {
      try {
        return await withDb(config, async (d) => runCaCommand(d.db, await setupSigning(d.db, config), argv.slice(1)));
      } catch (err) {
        if (err instanceof CliUsageError) {
          console.error(err.message);
          return 2;
        }
        throw err;
      }
    }
    case 'audit-verify': {
      const res = await withDb(config, (d) => verifyAuditChain(d.db));
      if (res.ok) {
        console.log(`Nhật ký toàn vẹn: ${res.checked} bản ghi đã kiểm tra.`);
        return 0;
      }
      console.error(`Nhật ký bị thay đổi: liên kết hỏng đầu tiên ở bản ghi seq=${res.firstBrokenSeq} (${res.reason}); ${res.checked} bản ghi trước đó hợp lệ.`);
      return 1;
    }
    case 'backup': {
      if (!arg) throw new ConfigError('Thiếu đường dẫn tệp: lienthong backup <file>');
      const res = await withDb(config, (d) => backup(d.db, store(), path.resolve(arg), { version: config.version, database: d.kind }));
      console.log(`Đã sao lưu vào ${arg}: ${Object.values(res.tables).reduce((a, b) => a + b, 0)} dòng, ${res.files} tệp.`);
      return 0;
    }
    case 'restore': {
      if (!arg) throw new ConfigError('Thiếu đường dẫn tệp: lienthong restore <file>');
      const res = await withDb(config, (d) => restore(d.db, store(), path.resolve(arg)));
      console.log(`Đã khôi phục: ${Object.values(res.tables).reduce((a, b) => a + b, 0)} dòng, ${res.files} tệp.`);
      return 0;
    }
    case 'create-admin': {
      const flag = (name: string) => {
        const i = argv.indexOf(`--${name}`);
        return i > 0 ? argv[i + 1] : undefined;
      };
      const password = process.env.LIENTHONG_ADMIN_PASSWORD;
      const name = flag('name');
      const unitName = flag('unit');
      const code = flag('code');
      if (!arg || arg.startsWith('--') || !name || !unitName || !code || !password) {
        throw new ConfigError('Cách dùng: LIENTHONG_ADMIN_PASSWORD=… lienthong create-admin <username> --name "<họ tên>" --unit "<tên đơn vị>" --code <mã định danh> [--level province]');
      }
      const level = (flag('level') ?? 'province') as 'province';
      try {
        const res = await withDb(config, (d) =>
          bootstrapAdmin(d.db, { username: arg, fullName: name, password, unit: { name: unitName, shortName: flag('short') ?? 'UBND', agencyCode: code, level, kind: 'people_committee' } }, systemActor()),
        );
        console.log(`Đã tạo quản trị hệ thống "${arg}"${res.unitCreated ? ` và đơn vị gốc ${code}` : ` trong đơn vị ${code}`}.`);
      } catch (err) {
        if (err instanceof AppError) throw new ConfigError(`${err.title}: ${err.detail ?? ''}${err.errors ? '\n' + err.errors.map((e) => `  - ${e.field}: ${e.message}`).join('\n') : ''}`);
        throw err;
      }
      return 0;
    }
    case 'openapi': {
      const { writeFile } = await import('node:fs/promises');
      const app = await buildApp({ config: { ...config, databaseUrl: undefined }, logger: false, database: await openMemory() });
      await writeFile(arg ?? 'openapi.json', JSON.stringify(app.swagger(), null, 2));
      await app.close();
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

async function openMemory(): Promise<Database> {
  const d = await openDatabase({});
  await migrateDatabase(d);
  return d;
}

/** Runs the CLI with the process arguments and exits with its status (used by bin/lienthong.mjs too). */
export function runCli(): void {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code >= 0) process.exit(code);
    },
    (err: Error) => {
      console.error(err instanceof ConfigError ? err.message : `Lỗi: ${err.message}`);
      if (!(err instanceof ConfigError) && process.env.LOG_LEVEL === 'debug') console.error(err.stack);
      process.exit(1);
    },
  );
}

const entry = process.argv[1] ?? '';
if (entry.endsWith('main.ts') || entry.endsWith('main.js')) runCli();
