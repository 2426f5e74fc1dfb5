import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

// Journey: the administrator edits the SMS sent when a dossier is received, previews it with sample data,
// saves it (the server keeps it), then puts the default back.
test('admin edits a citizen notification template with a preview, then resets it', async ({ page }) => {
  test.setTimeout(90_000); // generous: CI shares two cores with the server
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Mẫu thông báo' }).click();
  await expect(page.getByRole('heading', { name: 'Mẫu thông báo gửi công dân' })).toBeVisible();

  const row = page.getByRole('row').filter({ hasText: 'Đã tiếp nhận (có mã và ngày hẹn trả)' }).filter({ hasText: 'SMS' });
  await row.getByRole('button', { name: 'Sửa' }).click();
  const dialog = page.getByRole('dialog');
  const text = dialog.getByLabel('Nội dung');
  await text.fill('Ho so {ma_ho_so} da tiep nhan, hen tra {ngay_hen_tra}. {sai_bien}');
  await dialog.getByRole('button', { name: 'Xem trước' }).click();
  await expect(dialog.getByText('Ho so 000.01.31.H99-260310-0007 da tiep nhan, hen tra 17:00 10/03/2026. {sai_bien}')).toBeVisible();
  await expect(dialog.getByText(/Biến không có trong danh sách: \{sai_bien\}/)).toBeVisible();

  await text.fill('Ho so {ma_ho_so} da tiep nhan, hen tra {ngay_hen_tra}.');
  await dialog.getByRole('button', { name: 'Lưu' }).click();
  await expect(page.getByText('Đã lưu thay đổi')).toBeVisible();
  await expect(row.getByText('Đã sửa')).toBeVisible();
  const saved = await page.request.get('/api/notification-templates');
  const sms = ((await saved.json()) as { items: { event: string; channel: string; body: string; custom: boolean }[] }).items.find((i) => i.event === 'received' && i.channel === 'sms');
  expect(sms).toMatchObject({ custom: true, body: 'Ho so {ma_ho_so} da tiep nhan, hen tra {ngay_hen_tra}.' });

  await row.getByRole('button', { name: 'Về mặc định' }).click();
  await expect(row.getByText('Mặc định')).toBeVisible();
});
