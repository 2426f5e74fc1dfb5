import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lienthong-cli-'));
const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' };
delete (env as Record<string, string | undefined>).DATABASE_URL;
// Each command is a new Node process (tsx, PGlite WASM, migrations; seed-demo also signs demo documents): 11–25 s on
// an idle two-core machine, several times that while other test files run beside it.
const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env, cwd: process.cwd() });

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('lienthong CLI (embedded database in a data directory)', () => {
  it('migrates, seeds once, and verifies an intact audit log', async () => {
    expect((await cli('migrate')).stdout).toMatch(/Đã cập nhật lược đồ/);
    expect((await cli('seed-demo')).stdout).toMatch(/Đã nạp dữ liệu mẫu/);
    expect((await cli('seed-demo')).stdout).toMatch(/Dữ liệu mẫu đã có/);
    const ok = await cli('audit-verify');
    expect(ok.stdout).toMatch(/Nhật ký toàn vẹn: \d+ bản ghi/);
  }, 180_000);

  it('backs up and restores into a fresh data directory', async () => {
    const file = path.join(dataDir, 'backup.tar.gz');
    // The demo documents' PDFs are in the file store and travel with the backup.
    expect((await cli('backup', file)).stdout).toMatch(/Đã sao lưu vào .*: \d+ dòng, [1-9]\d* tệp/);
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'lienthong-cli-restore-'));
    try {
      const res = await run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'restore', file], { env: { ...env, DATA_DIR: fresh } });
      expect(res.stdout).toMatch(/Đã khôi phục: \d+ dòng, [1-9]\d* tệp/);
      const verify = await run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'audit-verify'], { env: { ...env, DATA_DIR: fresh } });
      expect(verify.stdout).toMatch(/Nhật ký toàn vẹn/);
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  }, 180_000);

  it('exits non-zero and names the first broken record after tampering', async () => {
    const db = new PGlite(path.join(dataDir, 'pgdata'));
    await db.exec(`ALTER TABLE audit_log DISABLE TRIGGER USER;
                   UPDATE audit_log SET actor_name = 'kẻ gian' WHERE seq = (SELECT min(seq) + 3 FROM audit_log);
                   ALTER TABLE audit_log ENABLE TRIGGER USER;`);
    const seq = (await db.query<{ s: number }>('SELECT min(seq) + 3 AS s FROM audit_log')).rows[0].s;
    await db.close();
    const err = await cli('audit-verify').then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err?.code).toBe(1);
    expect(err?.stderr).toContain(`seq=${seq}`);
  }, 180_000);

  it('creates the first admin of a production deployment, checking the password policy', async () => {
    const prodDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lienthong-cli-prod-'));
    const prodEnv = { ...env, DATA_DIR: prodDir, NODE_ENV: 'production' };
    const args = ['--import', 'tsx', 'src/main.ts', 'create-admin', 'quantri', '--name', 'Nguyễn Quản Trị', '--unit', 'Ủy ban nhân dân tỉnh Mẫu', '--code', '000.00.00.H98'];
    try {
      const weak = await run(process.execPath, args, { env: { ...prodEnv, LIENTHONG_ADMIN_PASSWORD: 'yeu' } }).then(() => null, (e: { code: number; stderr: string }) => e);
      expect(weak?.code).toBe(1);
      expect(weak?.stderr).toMatch(/ít nhất 10 ký tự/);
      const ok = await run(process.execPath, args, { env: { ...prodEnv, LIENTHONG_ADMIN_PASSWORD: 'BaoMat#Tinh2026' } });
      expect(ok.stdout).toMatch(/Đã tạo quản trị hệ thống "quantri" và đơn vị gốc 000.00.00.H98/);
      const db = new PGlite(path.join(prodDir, 'pgdata'));
      const roles = await db.query<{ role: string; n: number }>("SELECT role, (SELECT count(*)::int FROM users) AS n FROM role_assignments");
      await db.close();
      expect(roles.rows).toEqual([{ role: 'admin', n: 1 }]); // no demo data in production
    } finally {
      fs.rmSync(prodDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('serve: prints the URL and the demo accounts hint, then finishes in-flight requests on SIGTERM', async () => {
    const port = 34_000 + Math.floor(Math.random() * 1000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], { env: { ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const base = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 300 && !out.includes('đang chạy'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(out).toContain(`http://127.0.0.1:${port}`);
      expect(out).toMatch(/README\.md/);
      // A request in flight when the signal arrives: headers and half the body sent before SIGTERM.
      const body = JSON.stringify({ username: 'admin', password: 'LienThong@2026' });
      const status = new Promise<number>((resolve, reject) => {
        const req = http.request(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.write(body.slice(0, 10));
        // SIGTERM only once the server has taken the request in (its "incoming request" log line): on a busy machine
        // a fixed delay could signal before the headers were read, and a request arriving after close is a 503.
        void (async () => {
          for (let i = 0; i < 600 && !/"incoming request"[^\n]*\/api\/auth\/login|\/api\/auth\/login[^\n]*"incoming request"/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
          child.kill('SIGTERM');
          setTimeout(() => req.end(body.slice(10)), 300);
        })();
      });
      expect(await status).toBe(200);
      expect(await exited).toBe(0);
      await expect(fetch(`${base}/api/health`)).rejects.toThrow();
    } finally {
      child.kill('SIGKILL');
    }
  }, 180_000);

  it('rejects an invalid configuration with a clear message', async () => {
    const err = await run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'migrate'], { env: { ...env, PORT: 'abc', DATABASE_URL: 'mysql://x' } }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err?.code).toBe(1);
    expect(err?.stderr).toMatch(/Cấu hình không hợp lệ/);
    expect(err?.stderr).toMatch(/PORT/);
    expect(err?.stderr).toMatch(/DATABASE_URL/);
  }, 30_000);
});
