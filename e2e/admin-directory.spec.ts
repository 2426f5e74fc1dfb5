import { expect, test } from '@playwright/test';
import { pickOption, pickTreeOption, signIn, signOut } from './helpers';

// Journey 1: the administrator creates a unit and an official in it; the official then sees only
// their own unit (the scope rule: the units where one holds a role, and their descendants).
test('admin creates a unit and an official who sees only that unit', async ({ page }) => {
  const suffix = String(Date.now() % 100000);
  const unitName = `Phòng Kinh tế thử nghiệm ${suffix}`;
  const username = `canbo.thu${suffix}`;
  const password = 'CanBo#Moi2026';

  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Đơn vị' }).click();
  await expect(page.getByRole('heading', { name: 'Đơn vị', exact: true })).toBeVisible();

  // Create the unit under the commune "Tân An".
  await page.getByRole('tree').getByText('Ủy ban nhân dân xã Tân An', { exact: true }).click();
  await page.getByRole('button', { name: 'Thêm đơn vị con' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Tên đơn vị').fill(unitName);
  await dialog.getByLabel('Tên viết tắt').fill(`PKT${suffix}`);
  await dialog.getByLabel('Mã định danh').fill('h99 bad');
  await dialog.getByRole('button', { name: 'Lưu' }).click();
  await expect(dialog.getByText(/ngăn cách bằng dấu chấm/).first()).toBeVisible();
  await dialog.getByLabel('Mã định danh').fill(`000.00.${suffix.slice(0, 2).padStart(2, '0')}.H99`);
  await dialog.getByRole('button', { name: 'Lưu' }).click();
  await expect(page.getByText('Đã thêm đơn vị')).toBeVisible();
  await expect(page.getByRole('tree').getByText(unitName)).toBeVisible();

  // Create an official in it, unit administrator of that unit.
  await page.getByRole('link', { name: 'Cán bộ' }).click();
  await page.getByRole('button', { name: 'Thêm cán bộ' }).click();
  const drawer = page.getByRole('dialog');
  await drawer.getByLabel('Tên đăng nhập').fill(username);
  await drawer.getByLabel('Họ và tên').fill('Trần Thị Thử Nghiệm');
  await drawer.getByLabel('Chức vụ').fill('Trưởng phòng');
  await pickTreeOption(page, drawer.getByLabel('Đơn vị', { exact: true }), unitName);
  await drawer.getByLabel('Mật khẩu ban đầu').fill(password);
  await drawer.getByRole('button', { name: 'Thêm vai trò' }).click();
  await pickOption(page, drawer.getByLabel('Vai trò 1'), 'Quản trị đơn vị');
  await drawer.getByRole('button', { name: 'Lưu' }).click();
  // Creating an account hashes its password (argon2id, deliberately slow): allow for a busy machine.
  await expect(page.getByText('Đã thêm cán bộ')).toBeVisible({ timeout: 30_000 });
  await expect(drawer).toBeHidden();
  await page.getByLabel('Tìm kiếm').fill(username);
  await page.getByLabel('Tìm kiếm').press('Enter');
  const row = page.getByRole('row', { name: /Trần Thị Thử Nghiệm/ });
  await expect(row).toContainText(unitName);
  await expect(row).toContainText('Quản trị đơn vị');

  await signOut(page);

  // The new official sees their own unit and nothing outside it.
  await signIn(page, username, password);
  await expect(page.getByRole('heading', { name: 'Xin chào, Trần Thị Thử Nghiệm' })).toBeVisible();
  await expect(page.getByRole('cell', { name: unitName })).toBeVisible();
  await page.getByRole('link', { name: 'Đơn vị' }).click();
  const tree = page.getByRole('tree');
  await expect(tree.getByText(unitName)).toBeVisible();
  await expect(tree.getByText(/Phú Lộc/)).toHaveCount(0);
  await expect(tree.getByText('Ủy ban nhân dân xã Tân An', { exact: true })).toHaveCount(0);
  await expect(page.getByText(/Phú Lộc/)).toHaveCount(0);
  // No system-administrator pages for a unit administrator.
  await expect(page.getByRole('link', { name: 'Nhật ký hệ thống' })).toHaveCount(0);
});
