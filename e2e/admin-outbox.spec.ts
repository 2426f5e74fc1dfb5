import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

type OutboxAnswer = { items: unknown[]; total: number; counts: { pending: number; sent: number; failed: number } };

// Journey: the system administrator changes the time of the daily deadline digest (kept after a
// reload and by the server), then opens the mail queue: tabs by status with their counts, and the
// "failed" tab shows either its rows with "Gửi lại" or the empty state.
test('admin sets the deadline digest time and sees the mail queue by status', async ({ page }) => {
  test.setTimeout(30_000);
  await signIn(page, 'admin');

  await page.getByRole('link', { name: 'Nhắc hạn xử lý văn bản' }).click();
  await expect(page.getByRole('heading', { name: 'Nhắc hạn xử lý văn bản' })).toBeVisible();
  const time = page.getByLabel('Giờ gửi (giờ Việt Nam)');
  await expect(time).toHaveValue(/^\d{2}:\d{2}$/);
  // Late in the evening, so the change cannot start a digest while the journeys run.
  const next = (await time.inputValue()) === '21:35' ? '21:40' : '21:35';
  await time.click();
  await time.fill(next);
  // Leave the field (Enter would also submit the form, saving twice).
  await time.press('Tab');
  await expect(time).toHaveValue(next);
  await page.getByRole('button', { name: 'Lưu', exact: true }).click();
  await expect(page.getByText('Đã lưu thay đổi')).toBeVisible();

  await page.reload();
  await expect(page.getByLabel('Giờ gửi (giờ Việt Nam)')).toHaveValue(next);
  const saved = await page.request.get('/api/settings/digest');
  expect(saved.status()).toBe(200);
  expect(await saved.json()).toMatchObject({ time: next });

  // The queue: every status tab carries the count of the answer the page shows.
  const all = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/admin/outbox' && r.request().method() === 'GET');
  await page.getByRole('link', { name: 'Hàng đợi gửi thư' }).click();
  await expect(page.getByRole('heading', { name: 'Hàng đợi gửi thư' })).toBeVisible();
  const first = (await (await all).json()) as OutboxAnswer;
  const { pending, sent, failed } = first.counts;
  await expect(page.getByRole('tab', { name: `Tất cả (${pending + sent + failed})` })).toBeVisible();
  await expect(page.getByRole('tab', { name: `Đang chờ gửi (${pending})` })).toBeVisible();
  await expect(page.getByRole('tab', { name: `Đã gửi (${sent})` })).toBeVisible();
  await expect(page.getByRole('tab', { name: `Gửi lỗi (${failed})` })).toBeVisible();

  const failedAnswer = page.waitForResponse((r) => {
    const url = new URL(r.url());
    return url.pathname === '/api/admin/outbox' && url.searchParams.get('status') === 'failed';
  });
  await page.getByRole('tab', { name: /^Gửi lỗi \(\d+\)$/ }).click();
  await expect(page).toHaveURL(/[?&]status=failed/);
  const shown = (await (await failedAnswer).json()) as OutboxAnswer;
  await expect(page.getByRole('tab', { name: `Gửi lỗi (${shown.counts.failed})` })).toBeVisible();
  if (shown.items.length === 0) {
    await expect(page.getByText('Không có thư nào ở trạng thái “Gửi lỗi”.')).toBeVisible();
  } else {
    await expect(page.getByRole('button', { name: 'Gửi lại' }).first()).toBeVisible();
  }
});
