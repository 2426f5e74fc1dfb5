import { type APIRequestContext, type Browser, expect, type Page, request as playwrightRequest, test } from '@playwright/test';
import { PHOTO_JPEG } from '../src/core/pdf/fixtures.js';
import { DEMO_PASSWORD, makePdf } from './helpers';

/**
 * Journey (issue 5): a citizen signs up on the public portal, submits a dossier online with a phone
 * photo → the one-stop desk accepts → the specialist and the leader process → the result is returned
 * → the citizen looks the dossier up by code without signing in (JavaScript off) and rates it.
 *
 * The staff steps go through the HTTP API with the officers' own sign-ins: the staff app has no
 * dossier pages routed yet (the dossiers colleague's pages are in progress), so this journey does not
 * click through them.
 */

const BUDGET = 60 * 1024;
const suffix = String(Date.now()).slice(-9);
const citizen = { name: 'Lê Thị Hồng', idNumber: `001${suffix}`, phone: '0903 111 222', email: `hong.${suffix}@example.vn`, password: 'Hoa-Sen#2026' };

/** An officer's API session (bearer token), as a client of the API would have it. */
async function officer(baseURL: string, username: string): Promise<{ api: APIRequestContext; userId: string }> {
  const anon = await playwrightRequest.newContext({ baseURL });
  const login = await anon.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
  expect(login.status()).toBe(200);
  const body = await login.json();
  await anon.dispose();
  return { api: await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${body.token}` } }), userId: body.user.id };
}

async function act(api: APIRequestContext, id: string, action: string, data: Record<string, unknown> = {}) {
  const r = await api.post(`/api/dossiers/${id}/actions/${action}`, { data });
  expect(r.status(), `${action}: ${await r.text()}`).toBe(200);
  return r.json();
}

/** Bytes a first visit transfers for a page: the document and everything it loads, as the browser counts them (gzip). */
async function weigh(browser: Browser, url: string, storageState?: Awaited<ReturnType<ReturnType<Page['context']>['storageState']>>): Promise<{ url: string; bytes: number; requests: number }> {
  const context = await browser.newContext({ storageState, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await context.newPage();
  const responses: Promise<number>[] = [];
  page.on('requestfinished', (req) => responses.push(req.sizes().then((s) => s.responseBodySize + s.responseHeadersSize)));
  const res = await page.goto(url, { waitUntil: 'load' });
  expect(res?.status(), url).toBeLessThan(400);
  expect(res?.headers()['content-encoding'], url).toBe('gzip');
  const sizes = await Promise.all(responses);
  await context.close();
  return { url, bytes: sizes.reduce((a, b) => a + b, 0), requests: sizes.length };
}

test('a citizen submits online with a photo, the office processes it, the citizen looks it up without signing in and rates it', async ({ page, browser, baseURL }) => {
  test.setTimeout(180_000);

  // 1. Sign-up (the portal's own form; the account is signed in at once).
  await page.goto('/dang-ky');
  await expect(page.getByRole('heading', { name: 'Đăng ký tài khoản công dân', level: 1 })).toBeVisible();
  await page.getByLabel('Họ và tên').fill(citizen.name);
  await page.getByLabel('Số CCCD (căn cước)').fill(citizen.idNumber);
  await page.getByLabel('Số điện thoại').fill(citizen.phone);
  await page.getByLabel('E-mail').fill(citizen.email);
  await page.getByRole('textbox', { name: 'Mật khẩu', exact: true }).fill('ngan');
  await page.getByLabel('Nhập lại mật khẩu').fill('ngan');
  await page.getByRole('button', { name: 'Đăng ký' }).click();
  await expect(page.getByRole('alert')).toContainText('Mật khẩu phải có ít nhất 10 ký tự.');
  await page.getByRole('textbox', { name: 'Mật khẩu', exact: true }).fill(citizen.password);
  await page.getByLabel('Nhập lại mật khẩu').fill(citizen.password);
  await page.getByRole('button', { name: 'Đăng ký' }).click();
  await expect(page).toHaveURL(/\/ho-so-cua-toi$/);
  await expect(page.getByRole('heading', { name: 'Hồ sơ của tôi' })).toBeVisible();

  // 2. Find the procedure without accents and open the online form.
  await page.getByRole('link', { name: 'Nộp hồ sơ mới' }).click();
  await page.getByLabel('Tên hoặc mã thủ tục').fill('trich luc ho tich');
  await page.getByRole('button', { name: 'Tìm kiếm' }).click();
  await page.getByRole('link', { name: 'Cấp bản sao Trích lục hộ tịch' }).click();
  await expect(page.getByRole('heading', { name: 'Cấp bản sao Trích lục hộ tịch', level: 1 })).toBeVisible();
  await expect(page.getByRole('cell', { name: '8.000 đ/bản sao' }).first()).toBeVisible();
  await page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).first().click();
  await expect(page.getByRole('heading', { name: 'Nộp hồ sơ trực tuyến' })).toBeVisible();
  await page.getByLabel('Cơ quan tiếp nhận hồ sơ').selectOption({ label: 'Ủy ban nhân dân xã Tân An' });
  await page.getByLabel('Địa chỉ liên hệ').fill('Thôn Tây, xã Tân An');
  await expect(page.locator('#autosave-status')).toContainText('Đã tự động lưu nháp', { timeout: 15_000 }); // the script saved the typing
  // A phone photo of the declaration: choosing it saves the draft at once (the enhancement script).
  await page.locator('#doc-0-tep').setInputFiles({ name: 'to-khai.jpg', mimeType: 'image/jpeg', buffer: PHOTO_JPEG });
  await expect(page.getByRole('status').filter({ hasText: 'Đã lưu bản nháp' })).toBeVisible();
  await expect(page.getByText('Đã tải lên 1 tệp')).toBeVisible();
  await expect(page.getByLabel('Địa chỉ liên hệ')).toHaveValue('Thôn Tây, xã Tân An');
  await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
  await expect(page.getByRole('heading', { name: 'Đã nộp hồ sơ' })).toBeVisible();
  await expect(page.getByText('trong vòng 8 giờ làm việc')).toBeVisible();
  const id = /\/nop-ho-so\/da-nop\/([0-9a-f-]{36})$/.exec(page.url())![1];
  const citizenState = await page.context().storageState();

  // 3. The office: the desk accepts, the specialist reviews, the leader approves, the desk returns the result.
  const desk = await officer(baseURL!, 'motcua.xa');
  const specialist = await officer(baseURL!, 'chuyenvien.xa');
  const leader = await officer(baseURL!, 'lanhdao.xa');
  const accepted = await act(desk.api, id, 'accept');
  expect(accepted.files[0]).toMatchObject({ contentType: 'application/pdf' }); // the photo, as a PDF
  const code = accepted.code as string;
  await act(desk.api, id, 'forward', { toUserId: specialist.userId, note: 'Ghi chú nội bộ: đối chiếu sổ gốc' });
  await act(specialist.api, id, 'forward', {});
  await act(leader.api, id, 'approve');
  const upload = await desk.api.post('/api/files', { multipart: { file: { name: 'ban-sao-trich-luc.pdf', mimeType: 'application/pdf', buffer: await makePdf('Ban sao trich luc') } } });
  expect(upload.status()).toBe(201);
  await act(desk.api, id, 'complete', { fileIds: [(await upload.json()).id] });
  expect((await act(desk.api, id, 'return', { method: 'online' })).statusCode).toBe(10);
  const ratingForm = await weigh(browser, `/danh-gia/${code}`, citizenState); // the form, before the rating is given

  // 4. The citizen looks it up by code on another device, without JavaScript and without signing in, then rates it.
  const plain = await browser.newContext({ javaScriptEnabled: false, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const p2 = await plain.newPage();
  await p2.goto('/tra-cuu');
  await p2.getByLabel('Mã hồ sơ').fill(code);
  await p2.getByRole('button', { name: 'Tra cứu' }).click();
  await expect(p2).toHaveURL(new RegExp(`/tra-cuu/${code.replace(/\./g, '\\.')}$`));
  await expect(p2.getByRole('heading', { name: 'Tình trạng: Đã trả kết quả' })).toBeVisible();
  await expect(p2.getByText('Lê T*** H**')).toBeVisible();
  await expect(p2.getByRole('cell', { name: 'Phê duyệt' })).toBeVisible();
  const content = await p2.content();
  for (const secret of [citizen.name, citizen.idNumber, citizen.phone, 'đối chiếu sổ gốc']) expect(content).not.toContain(secret);
  await p2.getByRole('link', { name: 'Đánh giá mức độ hài lòng' }).click();
  await expect(p2.getByRole('heading', { name: 'Đăng nhập' })).toBeVisible();
  await p2.getByLabel('Số CCCD hoặc e-mail').fill(citizen.idNumber);
  await p2.getByLabel('Mật khẩu').fill(citizen.password);
  await p2.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(p2.getByRole('heading', { name: 'Đánh giá mức độ hài lòng' })).toBeVisible();
  await p2.getByRole('group', { name: /Bạn hài lòng thế nào/ }).getByLabel('Rất hài lòng', { exact: true }).check();
  await p2.getByLabel('Ý kiến góp ý').fill('Nộp trực tuyến nhanh, không phải đi lại.');
  await p2.getByRole('button', { name: 'Gửi đánh giá' }).click();
  await expect(p2.getByText('Cảm ơn bạn đã đánh giá')).toBeVisible();
  await plain.close();
  const rating = await (await desk.api.get(`/api/dossiers/${id}/rating`)).json();
  expect(rating.rating).toMatchObject({ kind: 'simple', level: 5, comment: 'Nộp trực tuyến nhanh, không phải đi lại.' });

  // 5. What each public page costs on a first visit (no cache), measured by the browser.
  const found = await (await desk.api.get(`/api/procedures?q=${encodeURIComponent('trích lục')}`)).json();
  const procedureId = found.items[0].id as string;
  const pages = [
    ['/dich-vu-cong', undefined], [`/dich-vu-cong?q=${encodeURIComponent('khai sinh')}`, undefined], [`/thu-tuc/${procedureId}`, undefined],
    ['/tra-cuu', undefined], [`/tra-cuu/${code}`, undefined], ['/dang-ky', undefined], ['/cong-dan/dang-nhap', undefined],
    ['/ho-so-cua-toi', citizenState], [`/ho-so-cua-toi/${id}`, citizenState], [`/nop-ho-so/${procedureId}`, citizenState],
  ] as const;
  const figures = [ratingForm];
  for (const [url, state] of pages) figures.push(await weigh(browser, url, state));
  console.log(`PORTAL PAGE SIZES ${JSON.stringify(figures)}`);
  for (const f of figures) expect(f.bytes, f.url).toBeLessThan(BUDGET);
  for (const c of [desk, specialist, leader]) await c.api.dispose();
});
