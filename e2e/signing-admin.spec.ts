import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { chooseOption, signIn } from './helpers';

// Journey: the administrator issues a demo certificate to a leader and adds a trusted root (a self-signed PEM made
// by openssl for this run), then sets a unit's seal image (a transparent PNG) with its diameter.
test.setTimeout(120_000);

/** A size×size RGBA PNG: a red ring on a transparent background. */
function sealPng(size = 64): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const r = Math.hypot(x - size / 2, y - size / 2);
      if (r < size / 2 - 1 && r > size / 2 - 6) row.set([200, 0, 0, 255], 1 + x * 4);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A self-signed CA certificate in PEM, made by openssl for this run. */
function rootPem(cn: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'lt-root-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '365',
    '-subj', `/CN=${cn}/O=LienThong e2e/C=VN`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'root.pem')], { stdio: 'ignore' });
  return readFileSync(join(dir, 'root.pem'));
}

test('admin issues a demo certificate, adds a trusted root and sets a unit seal image', async ({ page }) => {
  const suffix = String(Date.now() % 1_000_000);
  await signIn(page, 'admin');

  // 1. Issue a certificate from the demo CA to the commune leader.
  await page.getByRole('link', { name: 'Chứng thư số' }).click();
  await expect(page.getByRole('heading', { name: 'Chứng thư số', level: 2 })).toBeVisible();
  await page.getByRole('button', { name: 'Cấp chứng thư thử (CA mẫu)' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cấp chứng thư thử (CA mẫu)' });
  await chooseOption(page, dialog.getByLabel('Chọn cán bộ'), 'Đặng Văn Bình', 'Đặng');
  await dialog.getByLabel('Mã PIN').fill('246810');
  await dialog.getByLabel('Tên gợi nhớ').fill(`Chứng thư thử ${suffix}`);
  await dialog.getByRole('button', { name: 'Cấp', exact: true }).click();
  await expect(dialog).toBeHidden({ timeout: 30_000 });
  const row = page.getByRole('row', { name: new RegExp(`Chứng thư thử ${suffix}`) });
  await expect(row).toContainText('Đặng Văn Bình');
  await expect(row).toContainText('Đang dùng');

  // 2. Add a trusted root (PEM).
  const rootName = `Gốc thử ${suffix}`;
  await page.locator('input[type=file][accept=".pem,.crt,.cer,.der"]').setInputFiles({ name: 'root.pem', mimeType: 'application/x-pem-file', buffer: rootPem(`LienThong e2e root ${suffix}`) });
  await page.getByLabel('Tên chứng thư gốc').fill(rootName);
  await page.getByRole('button', { name: 'Thêm chứng thư gốc' }).click();
  await expect(page.getByRole('row', { name: new RegExp(rootName) })).toContainText(`LienThong e2e root ${suffix}`);

  // 3. The seal image of the administrator's unit, 40 mm across.
  await page.getByRole('link', { name: 'Con dấu' }).click();
  await expect(page.getByRole('heading', { name: 'Ảnh con dấu của đơn vị' })).toBeVisible();
  await page.locator('input[type=file][accept="image/png"]').setInputFiles({ name: 'con-dau.png', mimeType: 'image/png', buffer: sealPng(64) });
  await expect(page.getByTestId('seal-preview')).toBeVisible();
  await page.getByLabel('Đường kính').fill('40');
  await page.getByRole('button', { name: 'Lưu', exact: true }).click();
  await expect(page.getByText('Ảnh hiện tại: 64 × 64 điểm ảnh')).toBeVisible({ timeout: 30_000 });
  // Previewed at real size: 40 mm is 151.18 CSS px.
  await expect(page.getByTestId('seal-preview')).toHaveCSS('width', /^151\.\d+px$/);
});
