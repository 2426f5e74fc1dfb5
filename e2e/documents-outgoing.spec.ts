import { expect, test } from '@playwright/test';
import { approveAsLeader, draftOutgoingToPhuLoc, signIn, signOut, submitForReview } from './helpers';

// Journey 5: a specialist drafts a letter to the other commune; the chairman approves; the clerk
// issues it (number and symbol given by the system); the other commune's clerk accepts it and finds it
// among their incoming documents.
// Four sign-ins and a dozen round trips: 33–66 s measured on a busy 2-core machine, too close to the default 60 s.
test.setTimeout(120_000);

test('specialist drafts → leader approves → clerk issues → other unit accepts it into its incoming list', async ({ page }) => {
  const suffix = String(Date.now() % 1_000_000);
  const subject = `V/v phối hợp tổ chức tiêm chủng mở rộng (thử ${suffix})`;

  // 1. chuyenvien.xa drafts it to Ủy ban nhân dân xã Phú Lộc with a PDF, then submits it.
  await signIn(page, 'chuyenvien.xa');
  await draftOutgoingToPhuLoc(page, subject, `Du thao cong van ${suffix}`);
  await expect(page.getByRole('row', { name: /Ủy ban nhân dân xã Phú Lộc/ })).toBeVisible();
  await submitForReview(page);
  await expect(page.getByText('Đang trình duyệt').first()).toBeVisible();
  await signOut(page);

  // 2. lanhdao.xa approves it from "Chờ duyệt" (with the initials first when the unit asks for them).
  await signIn(page, 'lanhdao.xa');
  await page.getByRole('link', { name: /^Chờ duyệt: [1-9]/ }).click();
  await page.getByRole('link', { name: subject }).click();
  await expect(page.getByRole('heading', { name: subject })).toBeVisible();
  await approveAsLeader(page);
  await expect(page.getByText('Đã duyệt').first()).toBeVisible();
  await signOut(page);

  // 3. vanthu.xa issues it: the system gives the number and symbol (công văn: 01/UBND or 01/UBND-VP).
  await signIn(page, 'vanthu.xa');
  await page.getByRole('link', { name: 'Văn bản đi' }).click();
  await page.getByLabel('Tìm văn bản').fill(suffix);
  await page.getByLabel('Tìm văn bản').press('Enter');
  await page.getByRole('link', { name: subject }).click();
  await page.getByRole('button', { name: 'Ban hành' }).click();
  await page.getByRole('dialog', { name: 'Ban hành' }).getByRole('button', { name: 'Xác nhận' }).click();
  const issued = page.getByRole('dialog', { name: 'Đã ban hành văn bản' });
  await expect(issued).toContainText(/Số, ký hiệu: \d{2,}\/([A-ZĐ]+-)?UBND/);
  await issued.getByRole('button', { name: /OK|Đồng ý/ }).click();
  await expect(page.getByText('Đã ban hành').first()).toBeVisible();
  const recipient = page.getByRole('row', { name: /Ủy ban nhân dân xã Phú Lộc/ });
  await expect(recipient).toContainText('Chờ tiếp nhận');
  await signOut(page);

  // 4. vanthu.xa2 (Phú Lộc) finds it in "Chờ tiếp nhận", accepts it and sees it in Văn bản đến.
  await signIn(page, 'vanthu.xa2');
  await page.getByRole('link', { name: /^Chờ tiếp nhận: [1-9]/ }).click();
  await expect(page.getByRole('tab', { name: /Chờ tiếp nhận/, selected: true })).toBeVisible();
  await page.getByRole('button', { name: `Xem ${subject}` }).click();
  const preview = page.getByRole('dialog', { name: 'Xem văn bản được gửi đến' });
  await expect(preview.getByText('Ủy ban nhân dân xã Tân An')).toBeVisible();
  await expect(preview.getByRole('listitem')).toContainText('.pdf');
  await preview.getByRole('button', { name: 'Tiếp nhận' }).click();
  await page.getByRole('dialog', { name: 'Tiếp nhận văn bản' }).getByRole('button', { name: 'Tiếp nhận' }).click();
  const accepted = page.getByRole('dialog', { name: /Đã tiếp nhận, số đến \d+/ });
  await expect(accepted).toBeVisible();
  await accepted.getByRole('button', { name: 'Mở văn bản' }).click();
  await expect(page.getByRole('heading', { name: subject })).toBeVisible();
  await expect(page.getByText('Ủy ban nhân dân xã Tân An').first()).toBeVisible();

  await page.getByRole('link', { name: 'Văn bản đến' }).click();
  await expect(page.getByRole('tab', { name: 'Sổ văn bản đến', selected: true })).toBeVisible();
  await expect(page.getByRole('link', { name: subject })).toBeVisible();
});
