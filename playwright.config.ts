import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';

// Browser journeys against a real server started on a fresh data directory, in Debian's Chromium.
const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  const why = `Chromium not found at ${CHROMIUM}.`;
  if (process.env.CI === 'true') throw new Error(`${why} The CI image must provide it; the e2e journeys cannot be skipped.`);
  throw new Error(`${why} Install it with: apt-get install -y chromium`);
}

const PORT = 3100;
const baseURL = `http://127.0.0.1:${PORT}`;
// Playwright loads this file in the runner and in each worker; reuse one data directory per run.
const DATA_DIR = (process.env.LIENTHONG_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), `lienthong-e2e-${process.pid}-`)));

export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  fullyParallel: false,
  forbidOnly: process.env.CI === 'true',
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI === 'true' ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    ...devices['Desktop Chrome'],
    baseURL,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--disable-quic', '--no-first-run',
      ],
    },
  },
  webServer: {
    command: 'npx tsx src/main.ts serve',
    url: `${baseURL}/api/health`,
    // Every journey signs in from 127.0.0.1: a quiet machine runs them faster than the default 20 sign-ins per
    // minute and IP allow (the limit itself is tested in src/modules/account/ratelimit.test.ts).
    env: { PORT: String(PORT), HOST: '127.0.0.1', DATA_DIR, LOG_LEVEL: 'warn', LOGIN_RATE_LIMIT_PER_MINUTE: '600' },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
