import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

// Journey: the system administrator opens "Thủ tục hành chính", finds signature certification by typing
// without accents, raises its fee (a new version, in force at once, with the old one kept), then moves
// the leader's approval before the specialist's review in the internal process (another version) — the
// public API shows the new order and the public form download works without signing in.
test('admin edits a procedure (new version) and reorders its internal process', async ({ page, browser }) => {
  test.setTimeout(90_000);
  // The demo catalogue loads in the background on first start.
  await expect(async () => {
    expect((await (await page.request.get('/api/procedures?q=2.000884')).json()).total).toBe(1);
  }).toPass({ timeout: 30_000 });
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Thủ tục hành chính' }).click();
  await expect(page.getByRole('heading', { name: 'Thủ tục hành chính', level: 2 })).toBeVisible();
  await expect(page.getByRole('link', { name: '2.000884' })).toBeVisible();

  await page.getByLabel('Tìm theo mã, tên, lĩnh vực (gõ không dấu được)').fill('chung thuc chu ky');
  await page.getByLabel('Tìm theo mã, tên, lĩnh vực (gõ không dấu được)').press('Enter');
  await expect(page.getByRole('link', { name: '2.000815' })).toHaveCount(0);
  await page.getByRole('link', { name: '2.000884' }).click();
  await expect(page.getByRole('heading', { level: 2 })).toContainText('2.000884 — Chứng thực chữ ký');
  await expect(page.getByText('Đang áp dụng: phiên bản 1')).toBeVisible();
  await expect(page.getByText('10.000 đ/trường hợp')).toBeVisible();

  // Edit: the fee becomes 12.000 đ; saved as version 2, effective now.
  await page.getByRole('button', { name: 'Sửa (tạo phiên bản mới)' }).click();
  const amount = page.getByLabel('Số tiền (đồng)');
  await amount.fill('12000');
  await page.getByLabel('Nội dung thay đổi').fill('Điều chỉnh mức phí (thử nghiệm)');
  await page.getByRole('button', { name: 'Lưu phiên bản mới' }).click();
  await expect(page.getByText('Đã tạo phiên bản 2.')).toBeVisible();
  await expect(page.getByText('Đang áp dụng: phiên bản 2')).toBeVisible();
  await expect(page.getByText('12.000 đ/trường hợp')).toBeVisible();
  await page.getByRole('tab', { name: 'Các phiên bản' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Phiên bản 2' })).toContainText('Điều chỉnh mức phí (thử nghiệm)');
  await expect(page.getByRole('row').filter({ hasText: 'Phiên bản 1' })).toBeVisible();

  // Internal process: move step 3 (leader approval) above step 2 (specialist review).
  await page.getByRole('tab', { name: 'Quy trình nội bộ' }).click();
  const kinds = page.getByRole('tabpanel').getByLabel('Loại bước');
  await expect(kinds).toHaveCount(4);
  const kindTexts = async () => Promise.all([0, 1, 2, 3].map(async (i) => (await kinds.nth(i).locator('xpath=ancestor::*[contains(@class,"ant-select")][1]').textContent())?.trim()));
  expect(await kindTexts()).toEqual(['Tiếp nhận', 'Thẩm định, xử lý', 'Phê duyệt', 'Trả kết quả']);
  await page.getByRole('button', { name: 'Lên 3' }).click();
  expect(await kindTexts()).toEqual(['Tiếp nhận', 'Phê duyệt', 'Thẩm định, xử lý', 'Trả kết quả']);
  await page.getByRole('button', { name: 'Lưu quy trình (phiên bản mới)' }).click();
  await expect(page.getByText('Đã lưu quy trình: phiên bản 3.')).toBeVisible();
  await expect(page.getByText('Đang áp dụng: phiên bản 3')).toBeVisible();
  expect(await kindTexts()).toEqual(['Tiếp nhận', 'Phê duyệt', 'Thẩm định, xử lý', 'Trả kết quả']);

  // The public API (no session) serves the new version; version 2 keeps its order for its dossiers.
  const anonymous = await browser.newContext();
  const id = page.url().split('/').pop()!;
  const detail = await (await anonymous.request.get(`/api/procedures/${id}`)).json();
  expect(detail.current.version).toBe(3);
  expect(detail.current.process.map((s: { kind: string }) => s.kind)).toEqual(['receive', 'approve', 'review', 'return']);
  expect(detail.current.labels.channels[0].fee).toBe('12.000 đ/trường hợp');
  const v2 = await (await anonymous.request.get(`/api/procedures/versions/${detail.versions[1].id}`)).json();
  expect(v2.process.map((s: { kind: string }) => s.kind)).toEqual(['receive', 'review', 'approve', 'return']);
  await anonymous.close();
});
