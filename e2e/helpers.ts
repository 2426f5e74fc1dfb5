import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'LienThong@2026';

/** Fills the sign-in form (first step only). */
export async function submitCredentials(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/dang-nhap');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

/** Signs in an account without 2FA and waits for the home page. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await submitCredentials(page, username, password);
  // Password check (argon2id) and the home page's counters: more than the default 10 s on a busy CI machine.
  await expect(page.getByRole('heading', { name: /^Xin chào, / })).toBeVisible({ timeout: 30_000 });
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await expect(page).toHaveURL(/\/dang-nhap$/);
  await expect(page.getByRole('button', { name: 'Đăng nhập' })).toBeVisible();
}


/** The antd Select around an input found by its label (its text shows the chosen option). */
const selectOf = (field: ReturnType<Page['getByLabel']>) =>
  field.locator('xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');

/**
 * Clicks an option and checks the Select now shows it, retrying while the dropdown animates or its
 * options are replaced by a server search (a click on an option being re-rendered is lost). An attempt
 * first looks whether the option is already chosen, so a multi-select is never toggled off again.
 */
async function chooseUntilShown(page: Page, field: ReturnType<Page['getByLabel']>, shown: string, pick: () => Promise<void>): Promise<void> {
  await expect(async () => {
    if (((await selectOf(field).textContent()) ?? '').includes(shown)) return;
    await pick();
    await expect(selectOf(field)).toContainText(shown, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
}

/**
 * Picks a node of an antd TreeSelect after typing part of its title, retrying until the field shows it (the tree is
 * loaded and filtered while one types: a click on a node being re-rendered is lost).
 */
export async function pickTreeOption(page: Page, field: ReturnType<Page['getByLabel']>, title: string): Promise<void> {
  await chooseUntilShown(page, field, title, async () => {
    await field.click();
    await field.fill(title);
    await page.locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper', { hasText: title }).first().click({ timeout: 5_000 });
  });
}

/** Picks an option in the open antd Select dropdown. */
export async function pickOption(page: Page, field: ReturnType<Page['getByLabel']>, label: string): Promise<void> {
  await chooseUntilShown(page, field, label, async () => {
    await field.click();
    await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${label}"]`).click({ timeout: 5_000 });
  });
}

/** Types into an antd Select and picks the first visible option containing `text`. */
export async function chooseOption(page: Page, field: ReturnType<Page['getByLabel']>, text: string, typed = text): Promise<void> {
  await chooseUntilShown(page, field, text, async () => {
    await field.click();
    if (typed) await field.fill(typed);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first().click({ timeout: 5_000 });
  });
}

/** Types a dd/MM/yyyy date into an antd DatePicker and confirms it. */
export async function fillDate(field: ReturnType<Page['getByLabel']>, ddMMyyyy: string): Promise<void> {
  await field.click();
  await field.fill(ddMMyyyy);
  await field.press('Enter');
}

/** A small one-page PDF made in the test (ASCII text only: the standard font has no Vietnamese glyphs). */
export async function makePdf(text: string): Promise<Buffer> {
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.TimesRoman);
  pdf.addPage([595, 842]).drawText(text, { x: 72, y: 760, size: 14, font });
  return Buffer.from(await pdf.save());
}

/** Today plus `days`, as dd/MM/yyyy in Vietnam time. */
export function vnDate(days = 0): string {
  const d = new Date(Date.now() + days * 86_400_000);
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' })
    .formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year}`;
}

/**
 * chuyenvien.xa (signed in) drafts a công văn signed by Đặng Văn Bình to Ủy ban nhân dân xã Phú Lộc with a one-page
 * PDF, saves it and waits for the document's page (the form may close on the list or open the new document).
 */
export async function draftOutgoingToPhuLoc(page: Page, subject: string, pdfText: string): Promise<void> {
  await page.getByRole('link', { name: 'Văn bản đi' }).click();
  await expect(page.getByRole('heading', { name: 'Văn bản đi' })).toBeVisible();
  await page.getByRole('button', { name: 'Dự thảo văn bản' }).click();
  const form = page.getByRole('dialog', { name: 'Dự thảo văn bản' });
  await chooseOption(page, form.getByLabel('Loại văn bản'), 'Công văn');
  await chooseOption(page, form.getByLabel('Người ký'), 'Đặng Văn Bình', 'Đặng');
  await form.getByLabel('Trích yếu').fill(subject);
  await chooseOption(page, form.getByLabel('Đơn vị nhận trong hệ thống'), 'Ủy ban nhân dân xã Phú Lộc', 'Phú Lộc');
  await form.getByLabel('Tệp dự thảo (PDF hoặc DOCX)').setInputFiles({ name: 'du-thao.pdf', mimeType: 'application/pdf', buffer: await makePdf(pdfText) });
  await expect(form.getByText('du-thao.pdf')).toBeVisible();
  await form.getByRole('button', { name: 'Lưu' }).click();
  const heading = page.getByRole('heading', { name: subject });
  await expect(async () => {
    if (await heading.isVisible()) return;
    await page.getByRole('link', { name: subject }).click({ timeout: 2_000 }).catch(() => undefined);
    await expect(heading).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
}

/** Submits the open draft for review ("Trình duyệt") and waits for the confirmation. */
export async function submitForReview(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Trình duyệt' }).click();
  await page.getByRole('dialog', { name: 'Trình duyệt' }).getByRole('button', { name: 'Xác nhận' }).click();
  await expect(page.getByText('Đã thực hiện: Trình duyệt')).toBeVisible({ timeout: 20_000 });
}

/** The leader on the open document: initials first when the unit's review chain asks for them, then approval. */
export async function approveAsLeader(page: Page): Promise<void> {
  const initial = page.getByRole('button', { name: 'Ký nháy' });
  const approve = page.getByRole('button', { name: 'Phê duyệt' });
  await expect(initial.or(approve)).toBeVisible();
  if (await initial.isVisible()) {
    await initial.click();
    await page.getByRole('dialog', { name: 'Ký nháy' }).getByRole('button', { name: 'Xác nhận' }).click();
    await expect(page.getByText('Đã thực hiện: Ký nháy')).toBeVisible({ timeout: 20_000 });
  }
  await approve.click();
  await page.getByRole('dialog', { name: 'Phê duyệt' }).getByRole('button', { name: 'Xác nhận' }).click();
  await expect(page.getByText('Đã thực hiện: Phê duyệt')).toBeVisible({ timeout: 20_000 });
}
