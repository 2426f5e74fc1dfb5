import { expect, test } from '@playwright/test';
import { generate } from 'otplib';
import { DEMO_PASSWORD, signIn, signOut, submitCredentials } from './helpers';

// Journey 2: an official turns on TOTP from the profile page and signs in again with a code.
test('official enables two-factor authentication and signs in with a TOTP code', async ({ page }) => {
  await signIn(page, 'chuyenvien.xa');
  await page.getByRole('link', { name: 'Cá nhân' }).click();
  await expect(page.getByRole('heading', { name: 'Thông tin cá nhân' })).toBeVisible();

  await page.getByRole('button', { name: 'Bật xác thực hai lớp' }).click();
  await expect(page.getByRole('img', { name: 'QR' })).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').innerText()).trim();
  expect(secret).toMatch(/^[A-Z2-7]+=*$/);
  const now = Math.floor(Date.now() / 1000);
  await page.getByLabel('Mã xác thực').fill(await generate({ secret, epoch: now }));
  await page.getByRole('button', { name: 'Xác nhận và bật' }).click();
  await expect(page.getByText('Đã bật xác thực hai lớp')).toBeVisible();
  await expect(page.getByText('Đang bật')).toBeVisible();

  await signOut(page);

  // Password first, then the code; the next time step's code is used so that the login code differs
  // from the enrolment code (a server that refuses a reused step still accepts it, within ±1 step).
  await submitCredentials(page, 'chuyenvien.xa');
  await expect(page.getByRole('heading', { name: 'Xác thực hai lớp' })).toBeVisible();
  await page.getByLabel('Mã xác thực').fill('000000');
  await page.getByRole('button', { name: 'Xác nhận' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  const later = Math.floor(Date.now() / 1000) + 30;
  await page.getByLabel('Mã xác thực').fill(await generate({ secret, epoch: later }));
  await page.getByRole('button', { name: 'Xác nhận' }).click();
  await expect(page.getByRole('heading', { name: /^Xin chào, / })).toBeVisible();
  await expect(page).toHaveURL(/\/$/);

  // Turn it off again: the documents journeys sign in as the same official, in any order.
  await page.getByRole('link', { name: 'Cá nhân' }).click();
  await page.getByLabel('Mật khẩu', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Tắt xác thực hai lớp' }).click();
  await expect(page.getByText('Đã tắt xác thực hai lớp')).toBeVisible();
});
