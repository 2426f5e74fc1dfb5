import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

// Journey 3: on a 375×667 phone the side menu becomes a burger + drawer.
test.use({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });

test('phone-size layout: sign-in, burger menu, navigation', async ({ page }) => {
  await signIn(page, 'vanthu.xa');
  const burger = page.getByRole('button', { name: 'Mở menu' });
  await expect(burger).toBeVisible();
  // The menu is hidden until the burger is used.
  await expect(page.getByRole('link', { name: 'Cá nhân' })).toBeHidden();
  await burger.click();
  const drawer = page.getByRole('dialog');
  await expect(drawer.getByRole('link', { name: 'Trang chủ' })).toBeVisible();
  await expect(drawer.getByText('Văn bản đến')).toBeVisible();
  await expect(drawer.getByRole('button', { name: 'Đăng xuất' })).toBeVisible();
  await drawer.getByRole('link', { name: 'Cá nhân' }).click();
  await expect(page.getByRole('heading', { name: 'Thông tin cá nhân' })).toBeVisible();
  await expect(drawer).toBeHidden();
  // Nothing overflows the phone's width.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
