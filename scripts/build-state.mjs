// When is a build out of date? Shared by scripts/ensure-built.mjs (before `npm start`) and bin/lienthong.mjs.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs; // a deleted file bumps its directory
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const stale = (output, sources) => {
  const builtAt = existsSync(output) ? statSync(output).mtimeMs : 0;
  return builtAt === 0 || builtAt < Math.max(...sources.map(newestMtime));
};

/** The staff web app (web/dist) is missing or older than its sources. */
export const webIsStale = () =>
  stale(join(root, 'web', 'dist', 'index.html'), [join(root, 'web', 'src'), join(root, 'web', 'index.html'), join(root, 'web', 'vite.config.ts')]);

/** The compiled server (dist/) is missing or older than src/ or the TypeScript settings. */
export const serverIsStale = () =>
  stale(join(root, 'dist', 'main.js'), [join(root, 'src'), join(root, 'tsconfig.json'), join(root, 'tsconfig.build.json'), join(root, 'package-lock.json')]);
