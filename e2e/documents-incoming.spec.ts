import { expect, test } from '@playwright/test';
import { chooseOption, fillDate, makePdf, signIn, signOut, vnDate } from './helpers';

// Journey 4: the commune clerk registers a paper document and presents it; the chairman assigns a
// specialist with a deadline and instructions; the specialist finds it in "Việc của tôi" and completes it.
// Four sign-ins and a dozen round trips: 33–66 s measured on a busy 2-core machine, too close to the default 60 s.
test.setTimeout(120_000);

test('clerk registers → leader assigns → specialist completes; the timeline shows each step', async ({ page }) => {
  const suffix = String(Date.now() % 1_000_000);
  const subject = `V/v báo cáo tình hình thu ngân sách quý I (thử ${suffix})`;
  const instruction = 'Giao đồng chí Nam chủ trì, báo cáo trước hạn.';
  const result = 'Đã gửi báo cáo tổng hợp cho Sở Tài chính.';

  // 1. vanthu.xa registers the document with a scanned PDF and presents it to the chairman.
  await signIn(page, 'vanthu.xa');
  await page.getByRole('link', { name: 'Văn bản đến' }).click();
  await expect(page.getByRole('heading', { name: 'Văn bản đến' })).toBeVisible();
  await page.getByRole('button', { name: 'Vào sổ văn bản đến' }).click();
  const form = page.getByRole('dialog', { name: 'Vào sổ văn bản đến' });
  await form.getByLabel('Tệp văn bản (bản quét PDF hoặc ảnh chụp)').setInputFiles({
    name: 'cong-van-15.pdf', mimeType: 'application/pdf', buffer: await makePdf(`Cong van so ${suffix}`),
  });
  await expect(form.getByText('cong-van-15.pdf')).toBeVisible();
  await form.getByLabel('Cơ quan ban hành').fill('Sở Tài chính tỉnh Thái Hòa');
  await form.getByLabel('Số', { exact: true }).fill(suffix.slice(-4));
  await form.getByLabel('Ký hiệu').fill('STC-NS');
  await fillDate(form.getByLabel('Ngày văn bản'), vnDate(-2));
  await chooseOption(page, form.getByLabel('Loại văn bản'), 'Công văn');
  await form.getByLabel('Trích yếu').fill(subject);
  await form.getByLabel('Người ký', { exact: true }).fill('Trần Văn Tài');
  await chooseOption(page, form.getByLabel('Độ khẩn'), 'Khẩn', '');
  await form.getByRole('button', { name: 'Vào sổ' }).click();

  await expect(page.getByText(/Đã vào sổ, số đến \d+/)).toBeVisible();
  await expect(page.getByRole('heading', { name: subject })).toBeVisible();
  await expect(page.getByText('Khẩn', { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: 'cong-van-15.pdf' })).toBeVisible();

  await page.getByRole('button', { name: 'Trình lãnh đạo' }).click();
  const present = page.getByRole('dialog', { name: 'Trình lãnh đạo' });
  await chooseOption(page, present.getByLabel('Lãnh đạo'), 'Đặng Văn Bình', 'Đặng');
  await present.getByRole('button', { name: 'Xác nhận' }).click();
  await expect(page.getByText('Đã thực hiện: Trình lãnh đạo')).toBeVisible();
  await signOut(page);

  // 2. lanhdao.xa sees it waiting for instructions and assigns chuyenvien.xa as lead.
  await signIn(page, 'lanhdao.xa');
  await page.getByRole('link', { name: /^Chờ cho ý kiến: [1-9]/ }).click();
  await page.getByRole('link', { name: subject }).click();
  await expect(page.getByRole('heading', { name: subject })).toBeVisible();
  await page.getByRole('button', { name: 'Giao xử lý', exact: true }).click();
  const assign = page.getByRole('dialog', { name: 'Giao xử lý' });
  await chooseOption(page, assign.getByLabel('Người chủ trì'), 'Hoàng Văn Nam', 'Hoàng');
  await fillDate(assign.getByLabel('Hạn xử lý', { exact: true }), vnDate(5));
  await assign.getByLabel('Ý kiến chỉ đạo').fill(instruction);
  await assign.getByRole('button', { name: 'Xác nhận' }).click();
  await expect(page.getByText('Đã thực hiện: Giao xử lý')).toBeVisible();
  const handlers = page.getByRole('table').filter({ hasText: 'Chủ trì' });
  await expect(handlers.getByRole('row', { name: /Hoàng Văn Nam/ })).toContainText('Chờ xử lý');
  await signOut(page);

  // 3. chuyenvien.xa finds it in "Việc của tôi" (pending, urgent, unread) and completes it.
  await signIn(page, 'chuyenvien.xa');
  await page.getByRole('link', { name: /^Chờ xử lý: [1-9]/ }).click();
  await expect(page.getByRole('tab', { name: /Việc của tôi/, selected: true })).toBeVisible();
  const row = page.getByRole('row', { name: new RegExp(subject.replace(/[()]/g, '.')) });
  await expect(row).toContainText('Khẩn');
  await expect(row).toContainText('chưa đọc');
  await row.getByRole('link', { name: subject }).click();
  await expect(page.getByRole('heading', { name: subject })).toBeVisible();
  await expect(page.getByText(instruction).first()).toBeVisible();
  await page.getByRole('button', { name: 'Hoàn thành' }).click();
  const complete = page.getByRole('dialog', { name: 'Hoàn thành' });
  await complete.getByLabel('Kết quả xử lý').fill(result);
  await complete.getByRole('button', { name: 'Xác nhận' }).click();
  await expect(page.getByText('Đã thực hiện: Hoàn thành')).toBeVisible();
  await expect(page.getByText('Đã hoàn thành').first()).toBeVisible();

  // The timeline tells the story: registered, presented, assigned (with the instruction), completed.
  const timeline = page.getByRole('region', { name: 'Quá trình xử lý' });
  await expect(timeline.getByText('Vào sổ văn bản đến')).toBeVisible();
  await expect(timeline.getByText('Trình lãnh đạo')).toBeVisible();
  await expect(timeline.getByText('Giao xử lý')).toBeVisible();
  await expect(timeline.getByText(instruction)).toBeVisible();
  await expect(timeline.getByText('Hoàn thành', { exact: true })).toBeVisible();
  await expect(timeline.getByText(result)).toBeVisible();
});
