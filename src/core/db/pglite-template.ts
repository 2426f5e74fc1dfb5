import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';

/**
 * A freshly initialised PGlite cluster, saved once per PGlite version (at `npm install`, by the
 * postinstall script) and copied into every new data directory. PGlite's initdb runs in WebAssembly
 * and takes ~5 s; loading the saved cluster takes ~1 s. The template holds no LienThong schema or
 * data — migrations and the demo seed still run at the first start — so it stays valid across
 * LienThong upgrades and is only keyed by the PGlite version. Without it, PGlite runs initdb itself.
 */
const require = createRequire(import.meta.url);

function pgliteVersion(): string {
  let dir = path.dirname(require.resolve('@electric-sql/pglite'));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

export function templatePath(): string {
  const root = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));
  return path.join(root, 'node_modules', '.cache', 'lienthong', `pglite-${pgliteVersion()}-cluster.tar.gz`);
}

/** The saved cluster as a Blob for `new PGlite({ loadDataDir })`, or undefined when there is none. */
export function loadTemplate(): Blob | undefined {
  const file = templatePath();
  return fs.existsSync(file) ? new Blob([fs.readFileSync(file)]) : undefined;
}

export async function ensureTemplate(): Promise<{ file: string; created: boolean; ms: number }> {
  const file = templatePath();
  const t0 = performance.now();
  if (fs.existsSync(file)) return { file, created: false, ms: 0 };
  const db = new PGlite();
  await db.waitReady;
  const blob = await db.dumpDataDir('gzip');
  await db.close();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
  fs.renameSync(tmp, file);
  return { file, created: true, ms: Math.round(performance.now() - t0) };
}

// `tsx src/core/db/pglite-template.ts` (postinstall): never fails the installation.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  ensureTemplate().then(
    (r) => console.log(r.created ? `LienThong: PGlite cluster template created in ${r.ms} ms (${path.relative(process.cwd(), r.file)})` : 'LienThong: PGlite cluster template present'),
    (err: Error) => console.warn(`LienThong: could not prepare the PGlite template (${err.message}); the first start will initialise the database itself.`),
  );
}
