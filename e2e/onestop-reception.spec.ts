import { expect, type Page, test } from '@playwright/test';
import { pdfQrCodes, pdfText } from '../src/modules/dossiers/testing-pdf.js';
import { chooseOption, makePdf, signIn, signOut } from './helpers';

// The one-stop desk's core flow in the staff app: counter reception with a scanned document, the receipt
// (form 01) with its code and a QR code to the public lookup, then specialist → leader's approval →
// result attached → returned, each from the person's queue. Four sign-ins: give it time on a busy machine.
test.setTimeout(180_000);

async function openFromQueue(page: Page, tab: string, code: string) {
  await page.getByRole('link', { name: 'Hồ sơ một cửa' }).click();
  await page.getByRole('tab', { name: new RegExp(tab) }).click();
  await page.getByRole('link', { name: code }).click();
  await expect(page.getByTestId('dossier-code')).toHaveText(code);
}

async function act(page: Page, action: string, fill?: (dialog: ReturnType<Page['getByRole']>) => Promise<void>) {
  await page.getByRole('button', { name: action, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: action });
  if (fill) await fill(dialog);
  await dialog.getByRole('button', { name: action, exact: true }).click();
  await expect(page.getByText(`Đã thực hiện: ${action}`)).toBeVisible();
}

test('counter reception prints form 01 with the code and a QR code → specialist → leader → returned', async ({ page, baseURL }) => {
  const suffix = String(Date.now() % 1_000_000).padStart(6, '0');
  const idNumber = `001190${suffix}`;

  // 1. The one-stop officer receives a marriage registration that needs checks.
  await signIn(page, 'motcua.xa');
  await page.getByRole('link', { name: 'Tiếp nhận hồ sơ' }).click();
  await expect(page.getByRole('heading', { name: 'Tiếp nhận hồ sơ tại quầy' })).toBeVisible();
  await page.getByLabel('Số CCCD').fill(idNumber);
  await page.getByRole('button', { name: 'Tìm theo số CCCD' }).click();
  await expect(page.getByText('Chưa có thông tin; nhập người nộp mới.')).toBeVisible();
  await page.getByLabel('Họ và tên').fill('Đinh Thị Hương');
  await page.getByLabel('Điện thoại').fill('0915 222 333');
  await chooseOption(page, page.getByLabel('Thủ tục', { exact: true }), 'Đăng ký kết hôn', '1.000894');
  await page.getByLabel('Cần xác minh điều kiện kết hôn').check();
  const items = page.getByTestId('checklist-item');
  await expect(items).toHaveCount(3);
  await items.nth(0).locator('input[type=file]').setInputFiles({ name: 'to-khai-ket-hon.pdf', mimeType: 'application/pdf', buffer: await makePdf(`To khai ${suffix}`) });
  await expect(items.nth(0).getByText('to-khai-ket-hon.pdf')).toBeVisible();
  await expect(items.nth(0).getByRole('checkbox')).toBeChecked();
  await items.nth(1).getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Tiếp nhận và cấp mã hồ sơ' }).click();

  // 2. The code is given; the receipt (form 01) carries it and a QR code to the public lookup.
  const done = page.getByTestId('reception-done');
  await expect(done).toHaveText(/Đã tiếp nhận hồ sơ 000\.01\.31\.H99-\d{6}-\d{4}/);
  const code = (await done.textContent())!.match(/000\.01\.31\.H99-\d{6}-\d{4}/)![0];
  const receipt = page.getByRole('link', { name: 'In giấy tiếp nhận (mẫu 01)' });
  const href = await receipt.getAttribute('href');
  const pdf = await page.request.get(href!);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  const bytes = Buffer.from(await pdf.body());
  const text = (await pdfText(bytes)).replace(/\s+/g, ' ');
  expect(text).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
  expect(text).toContain(`Mã hồ sơ: ${code}`);
  expect(text).toContain('Đinh Thị Hương');
  expect(await pdfQrCodes(bytes)).toEqual([`${baseURL}/tra-cuu/${code}`]);

  // 3. The desk forwards it to the commune's specialist.
  await page.getByRole('link', { name: 'Mở hồ sơ' }).click();
  await expect(page.getByTestId('dossier-code')).toHaveText(code);
  await act(page, 'Chuyển xử lý', async (dialog) => {
    await expect(dialog.getByText(/Bước tiếp theo: /)).toBeVisible();
    await chooseOption(page, dialog.getByLabel('Chuyển cho'), 'Hoàng Văn Nam', 'Hoàng');
  });
  await expect(page.getByText('Đang xử lý').first()).toBeVisible();
  await signOut(page);

  // 4. The specialist finds it in "Tôi đang xử lý" and hands it to the commune's leaders.
  await signIn(page, 'chuyenvien.xa');
  await openFromQueue(page, 'Tôi đang xử lý', code);
  await act(page, 'Chuyển xử lý');
  await signOut(page);

  // 5. The chairman approves it from the unit's queue.
  await signIn(page, 'lanhdao.xa');
  await openFromQueue(page, 'Đơn vị đang xử lý', code);
  await act(page, 'Phê duyệt');
  await signOut(page);

  // 6. The desk attaches the result and returns it at the counter.
  await signIn(page, 'motcua.xa');
  await openFromQueue(page, 'Đơn vị đang xử lý', code);
  await act(page, 'Có kết quả', async (dialog) => {
    await dialog.locator('input[type=file]').setInputFiles({ name: 'giay-chung-nhan-ket-hon.pdf', mimeType: 'application/pdf', buffer: await makePdf(`Ket qua ${suffix}`) });
    await expect(dialog.getByText('giay-chung-nhan-ket-hon.pdf')).toBeVisible();
  });
  await expect(page.getByText('Đã xử lý xong, chờ trả kết quả').first()).toBeVisible();
  await act(page, 'Trả kết quả');
  await expect(page.getByText('Đã trả kết quả').first()).toBeVisible();
  const history = page.getByRole('region', { name: 'Quá trình xử lý' });
  for (const step of ['Tiếp nhận hồ sơ', 'Chuyển xử lý', 'Phê duyệt', 'Có kết quả', 'Trả kết quả']) await expect(history.getByText(step, { exact: true }).first()).toBeVisible();

  // 7. The public lookup (no sign-in) shows it returned, with the name masked.
  const lookup = await page.request.get(`/api/public/dossiers/${code}`);
  expect(await lookup.json()).toMatchObject({ code, statusCode: 10, applicantName: 'Đinh T*** H**' });
});
