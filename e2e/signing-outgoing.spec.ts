import { expect, test } from '@playwright/test';
import { approveAsLeader, chooseOption, draftOutgoingToPhuLoc, signIn, signOut, submitForReview } from './helpers';

// Journey: a specialist drafts; the leader approves and signs digitally with the demo key (PIN, place chosen by
// clicking the rendered page); the clerk seals and issues; the signature panel shows two valid signatures; the
// public page "Kiểm tra chữ ký số", given the issued PDF, says it is valid. Five sign-ins and two signings on a busy
// 2-core machine: give it room.
test.setTimeout(180_000);

const DEMO_PIN = '123456';

test('draft → leader signs digitally → clerk seals and issues → panel shows two valid signatures → verify page says valid', async ({ page }) => {
  const suffix = String(Date.now() % 1_000_000);
  const subject = `V/v thử ký số văn bản (thử ${suffix})`;

  // 1. chuyenvien.xa drafts with a PDF and submits it.
  await signIn(page, 'chuyenvien.xa');
  await draftOutgoingToPhuLoc(page, subject, `Du thao ky so ${suffix}`);
  const documentUrl = page.url();
  await submitForReview(page);
  await signOut(page);

  // 2. lanhdao.xa approves, then signs: PIN, a click on the rendered page places the box.
  await signIn(page, 'lanhdao.xa');
  await page.goto(documentUrl);
  // A cold page chunk and the detail query on a loaded machine: allow more than the default 10 s.
  await expect(page.getByRole('heading', { name: subject })).toBeVisible({ timeout: 30_000 });
  await approveAsLeader(page);
  await page.getByRole('button', { name: 'Ký số', exact: true }).click();
  const sign = page.getByRole('dialog', { name: 'Ký số' });
  await expect(sign.getByLabel('Chứng thư số')).toBeVisible({ timeout: 30_000 });
  // The demo key (PIN 123456), not another certificate of the same leader (signing-admin issues one with its own PIN).
  await chooseOption(page, sign.getByLabel('Chứng thư số'), '(CA mẫu)', '');
  await sign.getByLabel('Mã PIN').fill(DEMO_PIN);
  const pdfPage = sign.getByTestId('pdf-page');
  // The page renders asynchronously (pdf.js worker): click until the box shows.
  await expect(async () => {
    await pdfPage.click({ position: { x: 400, y: 600 }, timeout: 2_000 });
    await expect(sign.getByTestId('signature-box')).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(sign.getByText(/Trang 1, x = \d+, y = \d+/)).toBeVisible();
  await sign.getByRole('button', { name: 'Ký số' }).click();
  await expect(page.getByText('Đã ký số văn bản.')).toBeVisible({ timeout: 30_000 });
  await signOut(page);

  // 3. vanthu.xa seals and issues: PIN of the agency key; the number is given.
  await signIn(page, 'vanthu.xa');
  await page.goto(documentUrl);
  await expect(page.getByRole('heading', { name: subject })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Đóng dấu và phát hành' }).click();
  const seal = page.getByRole('dialog', { name: 'Đóng dấu và phát hành' });
  await expect(seal.getByLabel('Con dấu điện tử của cơ quan')).toBeVisible({ timeout: 30_000 });
  await seal.getByRole('textbox', { name: /Mã PIN/ }).fill(DEMO_PIN);
  await seal.getByRole('button', { name: 'Đóng dấu và phát hành' }).click();
  const issued = page.getByRole('dialog', { name: 'Đã ban hành văn bản' });
  await expect(issued).toContainText(/Số, ký hiệu: \d{2,}\//, { timeout: 30_000 });
  await issued.getByRole('button', { name: /OK|Đồng ý/ }).click();

  // 4. The signature panel: the newest version carries two valid signatures (leader, then agency seal).
  const panel = page.getByRole('region', { name: 'Chữ ký số' });
  await expect(panel.getByTestId('signature-card')).toHaveCount(2, { timeout: 20_000 });
  for (const card of await panel.getByTestId('signature-card').all()) await expect(card).toContainText('Hợp lệ');

  // The issued PDF, as a reader downloads it.
  const documentId = new URL(documentUrl).pathname.split('/').pop()!;
  const signatures = await (await page.request.get(`/api/documents/${documentId}/signatures`)).json() as {
    files: { fileId: string; createdAt: string; report: { signatures: unknown[] } }[];
  };
  const newest = signatures.files.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]!;
  expect(newest.report.signatures).toHaveLength(2);
  const pdf = await (await page.request.get(`/api/files/${newest.fileId}?download=true`)).body();
  await signOut(page);

  // 5. The public verify page, without signing in: a non-PDF is refused plainly; the issued PDF is valid.
  await page.goto('/kiem-tra-chu-ky');
  await expect(page.getByRole('heading', { name: /Kiểm tra chữ ký số/ })).toBeVisible();
  const input = page.locator('input[type="file"]');
  await input.setInputFiles({ name: 'ghi-chu.txt', mimeType: 'text/plain', buffer: Buffer.from('không phải PDF') });
  await expect(page.getByText('Tệp đã chọn không phải PDF. Hãy chọn một tệp .pdf.')).toBeVisible();
  await input.setInputFiles({ name: 'van-ban-da-ban-hanh.pdf', mimeType: 'application/pdf', buffer: pdf });
  await expect(page.getByTestId('signature-card')).toHaveCount(2, { timeout: 20_000 });
  await expect(page.locator('.ant-alert-success').getByTestId('signature-verdict')).toBeVisible();
});
