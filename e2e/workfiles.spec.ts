import { expect, test, type Page } from '@playwright/test';
import { chooseOption, makePdf, signIn } from './helpers';

/** Registers an incoming document through the API with the page's session (the journey is about work files). */
async function registerThroughApi(page: Page, subject: string): Promise<string> {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'lt_csrf')?.value ?? '';
  const headers = { 'x-csrf-token': csrf };
  const file = await page.request.post('/api/files', {
    headers, multipart: { file: { name: 'to-trinh.pdf', mimeType: 'application/pdf', buffer: await makePdf('To trinh') } },
  });
  expect(file.status()).toBe(201);
  const doc = await page.request.post('/api/documents/incoming', {
    headers,
    data: {
      issuer: 'Sở Nội vụ', codeNumber: 7, codeNotation: 'SNV-CCVC', issuedDate: new Date().toISOString().slice(0, 10),
      typeCode: 'CV', subject, urgency: 'normal', secrecy: 'none', fileIds: [(await file.json()).id], allowDuplicate: true,
    },
  });
  expect(doc.status()).toBe(201);
  return (await doc.json()).id as string;
}

// Journey 6: a clerk adds a work file to this year's list, opens it, files a document from the
// document page, finds it in the file and exports the file as PDF and XML.
test('clerk opens a work file, files a document from its page, exports the file', async ({ page }) => {
  const suffix = String(Date.now() % 100_000).padStart(5, '0');
  const notation = `${String(Number(suffix.slice(-2)) + 1).padStart(2, '0')}.TCCB${suffix}`;
  const title = `Hồ sơ tuyển dụng công chức xã năm nay (thử ${suffix})`;
  const subject = `V/v hướng dẫn tuyển dụng công chức cấp xã (thử ${suffix})`;

  await signIn(page, 'vanthu.xa');
  const documentId = await registerThroughApi(page, subject);

  await page.getByRole('link', { name: 'Hồ sơ công việc' }).click();
  await expect(page.getByRole('heading', { name: 'Hồ sơ công việc' })).toBeVisible();
  await page.getByRole('button', { name: 'Thêm hồ sơ' }).click();
  const create = page.getByRole('dialog', { name: 'Thêm hồ sơ' });
  await create.getByLabel('Ký hiệu hồ sơ').fill(notation);
  await create.getByLabel('Tiêu đề hồ sơ').fill(title);
  await create.getByRole('radio', { name: 'Vĩnh viễn' }).check();
  await create.getByRole('button', { name: 'Lưu' }).click();
  await expect(page.getByText('Đã thêm hồ sơ vào danh mục')).toBeVisible();
  const row = page.getByRole('row', { name: new RegExp(notation.replace('.', '\\.')) });
  await expect(row).toContainText('Chưa mở');
  await expect(row).toContainText('Vĩnh viễn');
  await row.getByRole('button', { name: `Mở hồ sơ ${notation}` }).click();
  await page.getByRole('button', { name: 'Có' }).click();
  await expect(row).toContainText('Đang mở');

  // File the document from its own page.
  await page.goto(`/van-ban/${documentId}`);
  await expect(page.getByRole('heading', { name: subject })).toBeVisible();
  await page.getByRole('button', { name: 'Thêm vào hồ sơ' }).click();
  const add = page.getByRole('dialog', { name: 'Thêm vào hồ sơ' });
  await chooseOption(page, add.getByLabel('Hồ sơ'), notation, notation);
  await add.getByRole('button', { name: 'Xác nhận' }).click();
  await expect(page.getByText('Đã thêm văn bản vào hồ sơ')).toBeVisible();

  // The file lists it; both exports answer.
  await page.getByRole('link', { name: 'Hồ sơ công việc' }).click();
  await page.getByRole('button', { name: title }).click();
  const drawer = page.getByRole('dialog', { name: new RegExp(title.replace(/[()]/g, '.')) });
  await expect(drawer.getByRole('link', { name: subject })).toBeVisible();
  for (const [name, type] of [['Xuất PDF', 'application/pdf'], ['Xuất XML', 'application/xml']] as const) {
    const href = await drawer.getByRole('link', { name }).getAttribute('href');
    const res = await page.request.get(href!);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain(type);
  }
});
