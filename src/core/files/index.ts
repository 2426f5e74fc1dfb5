import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

export { files } from './schema.js';

/**
 * Content-addressed file store (SHA-256). Local folder by default; an S3-compatible bucket can
 * implement the same interface at scale. A file is written before any row points to it.
 */
export type FileStore = {
  put(content: Buffer): Promise<string>;
  read(sha256: string): Promise<Buffer>;
  stream(sha256: string): NodeJS.ReadableStream;
  has(sha256: string): Promise<boolean>;
  list(): AsyncIterable<string>;
};

const HEX64 = /^[0-9a-f]{64}$/;

export function localFileStore(root: string): FileStore {
  const where = (sha: string) => {
    if (!HEX64.test(sha)) throw new Error(`invalid file hash ${sha}`);
    return path.join(root, sha.slice(0, 2), sha.slice(2, 4), sha);
  };
  return {
    async put(content) {
      const sha = createHash('sha256').update(content).digest('hex');
      const target = where(sha);
      if (fs.existsSync(target)) return sha;
      await fsp.mkdir(path.dirname(target), { recursive: true });
      const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
      await fsp.writeFile(tmp, content);
      await fsp.rename(tmp, target); // atomic: readers never see half a file
      return sha;
    },
    read: (sha) => fsp.readFile(where(sha)),
    stream: (sha) => fs.createReadStream(where(sha)),
    has: async (sha) => fs.existsSync(where(sha)),
    async *list() {
      if (!fs.existsSync(root)) return;
      for (const a of await fsp.readdir(root)) {
        if (!/^[0-9a-f]{2}$/.test(a)) continue;
        for (const b of await fsp.readdir(path.join(root, a))) {
          for (const f of await fsp.readdir(path.join(root, a, b))) if (HEX64.test(f)) yield f;
        }
      }
    },
  };
}
