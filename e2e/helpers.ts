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
  await expect(page.getByRole('heading', { name: /^Xin chào, / })).toBeVisible();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await expect(page).toHaveURL(/\/dang-nhap$/);
  await expect(page.getByRole('button', { name: 'Đăng nhập' })).toBeVisible();
}

/** Picks a node in the open antd TreeSelect dropdown after typing part of its title. */
export async function pickTreeOption(page: Page, field: ReturnType<Page['getByLabel']>, title: string): Promise<void> {
  await field.click();
  await field.fill(title);
  await page.locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper', { hasText: title }).first().click();
}

/** Picks an option in the open antd Select dropdown. */
export async function pickOption(page: Page, field: ReturnType<Page['getByLabel']>, label: string): Promise<void> {
  await field.click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${label}"]`).click();
}
