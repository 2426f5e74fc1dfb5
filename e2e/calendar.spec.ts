import { expect, test } from '@playwright/test';
import { fillDate, pickTreeOption, signIn } from './helpers';

// Journey: the system administrator opens "Lịch làm việc", sees Tết 2026 in the year view (computed
// from the lunar calendar) with its lunar date, adds a national extra day off (the grid, the table and
// the public due-time API follow), removes it, then gives Tân An's one-stop desk Saturday-morning
// reception and returns it to the inherited hours.
test('admin keeps the working calendar: year view, an extra day off, office hours of a unit', async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Lịch làm việc' }).click();
  await expect(page.getByRole('heading', { name: 'Lịch làm việc', level: 2 })).toBeVisible();
  const year = page.getByLabel('Năm', { exact: true });
  await year.fill('2026');
  await year.press('Tab');
  await expect(page.getByText('Các ngày đặc biệt năm 2026')).toBeVisible();

  // Tết: 16–20/02/2026 off (29 tháng Chạp to mùng 4), mùng 1 = 17/02.
  for (const d of ['16', '17', '18', '19', '20']) await expect(page.locator(`td[data-date="2026-02-${d}"]`)).toHaveAttribute('data-kind', 'holiday');
  await expect(page.locator('td[data-date="2026-02-23"]')).toHaveAttribute('data-kind', 'working');
  const tet = page.getByRole('row').filter({ hasText: '17/02/2026' });
  await expect(tet).toContainText('Tết Nguyên đán');
  await expect(tet).toContainText('1/1');
  await expect(page.getByRole('row').filter({ hasText: '27/04/2026' })).toContainText('Nghỉ bù Giỗ Tổ Hùng Vương');
  // The seeded New Year swap: Saturday 10/01 is a make-up working day.
  await expect(page.locator('td[data-date="2026-01-10"]')).toHaveAttribute('data-kind', 'working-day');

  // A national extra day off on Thursday 12/03/2026.
  await fillDate(page.getByLabel('Ngày', { exact: true }), '12/03/2026');
  await page.getByLabel('Tên ngày').fill('Nghỉ thêm thử nghiệm');
  await page.getByLabel('Căn cứ').fill('Thông báo thử nghiệm');
  await page.getByRole('button', { name: 'Thêm điều chỉnh' }).click();
  await expect(page.getByText('Đã thêm điều chỉnh')).toBeVisible();
  await expect(page.locator('td[data-date="2026-03-12"]')).toHaveAttribute('data-kind', 'day-off');
  const due = await page.request.get(`/api/calendar/due?from=${encodeURIComponent('2026-03-11T10:00:00+07:00')}&workingDays=1`);
  expect((await due.json()).dueAt).toBe('2026-03-13T10:00:00.000Z');

  const row = page.locator('.ant-card').filter({ hasText: 'Điều chỉnh lịch nghỉ năm 2026' }).getByRole('row').filter({ hasText: 'Nghỉ thêm thử nghiệm' });
  await row.getByRole('button', { name: 'Xóa' }).click();
  await page.locator('.ant-popconfirm:visible').getByRole('button', { name: /OK|Đồng ý/ }).click();
  await expect(page.getByText('Đã xóa điều chỉnh')).toBeVisible();
  await expect(page.locator('td[data-date="2026-03-12"]')).toHaveAttribute('data-kind', 'working');

  // Office hours of Tân An's one-stop desk: default, then its own with Saturday-morning reception.
  await pickTreeOption(page, page.getByLabel('Đơn vị', { exact: true }), 'Bộ phận Một cửa xã Tân An');
  await expect(page.getByTestId('hours-origin')).toContainText('Giờ mặc định');
  await expect(page.getByTestId('hours-origin')).toContainText('8 giờ mỗi ngày');
  await page.getByLabel('Tiếp nhận sáng thứ Bảy').click();
  await page.getByRole('button', { name: 'Lưu', exact: true }).click();
  await expect(page.getByText('Đã lưu thay đổi')).toBeVisible();
  await expect(page.getByTestId('hours-origin')).toContainText('Giờ riêng của đơn vị');
  await page.getByRole('button', { name: 'Dùng giờ kế thừa' }).click();
  await expect(page.getByTestId('hours-origin')).toContainText('Giờ mặc định');
});
