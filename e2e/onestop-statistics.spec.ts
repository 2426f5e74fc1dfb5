import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

// Journey: Tân An's one-stop officer receives a birth registration at the counter (through the API, as
// the counter page would), opens "Thống kê một cửa", finds it in this month's figures, per procedure and
// under her own name, and downloads the Excel export.
test('the one-stop desk reads this month’s statistics and exports them', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, 'motcua.xa');
  const csrf = (await page.context().cookies()).find((c) => c.name === 'lt_csrf')?.value ?? '';
  const before = await (await page.request.get('/api/dossier-statistics')).json();
  const found = await (await page.request.get(`/api/procedures?q=${encodeURIComponent('khai sinh')}`)).json();
  const birth = found.items.find((p: { code: string }) => p.code === '1.001193');
  const created = await page.request.post('/api/dossiers', {
    headers: { 'x-csrf-token': csrf },
    data: {
      procedureId: birth.id, caseId: 'th1', channel: 'counter', fileIds: [],
      applicant: { name: 'Lò Thị Xuân', idNumber: '001190000777', phone: '0912000777', address: 'Bản Mường, xã Tân An' },
      documents: [{ index: 0, fileIds: [] }, { index: 1, fileIds: [] }],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const received = before.totals.received + 1;

  await page.getByRole('link', { name: 'Thống kê một cửa' }).click();
  await expect(page.getByRole('heading', { name: 'Thống kê giải quyết hồ sơ một cửa', level: 2 })).toBeVisible();
  await expect(page.getByText(/Ủy ban nhân dân xã Tân An · \d\d\/\d\d\/\d{4} – \d\d\/\d\d\/\d{4} · số liệu đến/)).toBeVisible();
  const card = page.locator('.ant-card').filter({ hasText: 'Tiếp nhận trong kỳ' });
  await expect(card.locator('.ant-statistic-content-value')).toHaveText(String(received));
  const unitRow = page.getByRole('row').filter({ hasText: 'Ủy ban nhân dân xã Tân An' });
  await expect(unitRow).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Kỳ trước chuyển sang' })).toBeVisible();

  await page.getByText('Theo thủ tục', { exact: true }).click();
  const procedureRow = page.getByRole('row').filter({ hasText: 'Đăng ký khai sinh' });
  await expect(procedureRow).toContainText('1.001193');
  await page.getByText('Theo cán bộ', { exact: true }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Vũ Thị Lan' })).toBeVisible();

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: /Xuất Excel/ }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^thong-ke-mot-cua_\d{4}-\d{2}-01_\d{4}-\d{2}-\d{2}\.xlsx$/);
  // An .xlsx is a zip: it starts with "PK".
  const path = await file.path();
  const { readFileSync } = await import('node:fs');
  expect(readFileSync(path).subarray(0, 2).toString()).toBe('PK');
});
