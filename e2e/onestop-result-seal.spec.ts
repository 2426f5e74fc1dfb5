import { expect, request as playwrightRequest, test } from '@playwright/test';
import { DEMO_PASSWORD, makePdf, signIn } from './helpers';

// The electronic seal on a one-stop result (issues 4 and 5): a marriage registration walked to its return step
// through the API, then, in the staff app, the desk completes it with "Đóng dấu điện tử kết quả" (the commune's seal,
// demo PIN 123456) and the dossier page shows the result sealed by the commune, with a valid signature check.
test.setTimeout(180_000);

/** A bearer token from a context of its own (a second login in a context holding a session cookie needs CSRF). */
async function tokenOf(baseURL: string | undefined, username: string): Promise<string> {
  const anon = await playwrightRequest.newContext({ baseURL });
  const res = await anon.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
  expect(res.status()).toBe(200);
  const token = (await res.json()).token as string;
  await anon.dispose();
  return token;
}

test('the desk seals the result; the dossier page shows the agency seal and its check', async ({ page, request, baseURL }) => {
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const desk = await tokenOf(baseURL, 'motcua.xa');
  const procedures = await (await request.get('/api/procedures?q=1.000894')).json();
  const procedureId = procedures.items.find((p: { code: string }) => p.code === '1.000894').id as string;
  const created = await request.post('/api/dossiers', {
    headers: auth(desk),
    data: {
      procedureId, caseId: 'th1', channel: 'counter', returnMethod: 'online', applicant: { name: 'Cao Thị Ngọc', idNumber: `0011900${String(Date.now() % 100_000).padStart(5, '0')}` },
      documents: [{ index: 0, fileIds: [] }, { index: 1, fileIds: [] }], fileIds: [],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id, code } = await created.json();
  const people = async (username: string) => (await (await request.get(`/api/dossiers/${id}/targets?action=forward`, { headers: auth(desk) })).json()).people
    .find((p: { fullName: string }) => p.fullName === username)?.id as string | undefined;
  const steps: [string, string, Record<string, unknown>][] = [['motcua.xa', 'forward', { toUserId: await people('Hoàng Văn Nam') }]];
  for (const [user, action, body] of steps) expect((await request.post(`/api/dossiers/${id}/actions/${action}`, { headers: auth(await tokenOf(baseURL, user)), data: body })).status()).toBe(200);
  const specialist = await tokenOf(baseURL, 'chuyenvien.xa');
  const leaders = (await (await request.get(`/api/dossiers/${id}/targets?action=forward`, { headers: auth(specialist) })).json()).people;
  const leader = leaders.find((p: { fullName: string }) => p.fullName === 'Đặng Văn Bình').id as string;
  expect((await request.post(`/api/dossiers/${id}/actions/forward`, { headers: auth(specialist), data: { toUserId: leader } })).status()).toBe(200);
  expect((await request.post(`/api/dossiers/${id}/actions/approve`, { headers: auth(await tokenOf(baseURL, 'lanhdao.xa')), data: {} })).status()).toBe(200);

  // The desk attaches the result and seals it with the commune's seal.
  await signIn(page, 'motcua.xa');
  await page.goto(`/mot-cua/ho-so/${id}`);
  await expect(page.getByTestId('dossier-code')).toHaveText(code);
  await page.getByRole('button', { name: 'Có kết quả', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Có kết quả' });
  await dialog.locator('input[type=file]').setInputFiles({ name: 'giay-chung-nhan-ket-hon.pdf', mimeType: 'application/pdf', buffer: await makePdf(`Ket qua ${code}`) });
  await expect(dialog.getByText('giay-chung-nhan-ket-hon.pdf')).toBeVisible();
  await dialog.getByRole('checkbox', { name: 'Đóng dấu điện tử kết quả' }).check();
  await expect(dialog.getByText(/con dấu điện tử của Ủy ban nhân dân xã Tân An/)).toBeVisible();
  await expect(dialog.getByLabel('Chứng thư số (con dấu điện tử) của cơ quan')).toBeVisible();
  await dialog.getByLabel('Mã PIN').fill('123456');
  await dialog.getByRole('button', { name: 'Có kết quả', exact: true }).click();
  await expect(page.getByText('Đã thực hiện: Có kết quả')).toBeVisible();

  // The result card: sealed by the commune, the signature check valid; the unsealed original kept for officials.
  await expect(page.getByTestId('result-sealed')).toHaveText('Đã đóng dấu điện tử');
  await expect(page.getByText('Ủy ban nhân dân xã Tân An').first()).toBeVisible();
  await expect(page.getByText('Hợp lệ', { exact: false }).first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'Bản chưa đóng dấu' })).toBeVisible();
  const detail = await (await request.get(`/api/dossiers/${id}`, { headers: auth(desk) })).json();
  expect(detail.result).toMatchObject({ sealed: true, seal: { agencyName: 'Ủy ban nhân dân xã Tân An', valid: true } });
});
