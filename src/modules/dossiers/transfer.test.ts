import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODES, createDossierApp, type DossierTestApp, expectProblem, pdfOf, TUESDAY_9AM, UNITS } from './testing.js';

/**
 * Transfer between levels (liên thông): the commune receives a two-level dossier (criminal record
 * certificate), transfers it to the deciding province department, which processes and approves; the
 * commune returns the result. Both see the whole history, the deadline is one; nobody else sees anything.
 */

let h: DossierTestApp;
let id: string;
let fileId: string;
const local = (iso: string) => new Date(`${iso}+07:00`);
const act = async (user: string, action: string, body: Record<string, unknown> = {}) => h.api(await h.token(user), 'POST', `/api/dossiers/${id}/actions/${action}`, body);
const get = async (user: string) => h.api(await h.token(user), 'GET', `/api/dossiers/${id}`);

beforeAll(async () => {
  h = await createDossierApp(TUESDAY_9AM);
  await h.official('chuyenvien.stp', 'Đỗ Minh Tuấn', UNITS.justice, 'specialist');
  await h.official('lanhdao.stp', 'Trịnh Thu Hằng', UNITS.justice, 'leader');
  const desk = await h.token('motcua.xa');
  fileId = await h.upload(desk, await pdfOf(2), 'to-khai-lltp.pdf');
  const r = await h.api(desk, 'POST', '/api/dossiers', {
    procedureId: await h.procedure(CODES.criminalRecord), channel: 'counter', applicant: { name: 'Bùi Quang Khải', idNumber: '001092004455' },
    documents: [{ index: 0, fileIds: [fileId] }, { index: 1, fileIds: [] }], fileIds: [],
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  id = r.body.id;
}, 240_000); // a fresh database and the demo catalogue: slow on a busy machine
afterAll(async () => h?.t.close());

describe('liên thông: commune → province department → commune', () => {
  let due: string;
  it('is received by the commune with a 10-working-day appointment', async () => {
    const d = (await get('motcua.xa')).body;
    expect(d.procedure.twoLevel).toBe(true);
    expect(d.dueAt).toBe(local('2026-03-24T17:00:00').toISOString());
    expect(d.fee.amount).toBe(200000);
    due = d.dueAt;
  });

  it('is transferred (not forwarded) to the deciding unit, Sở Tư pháp', async () => {
    h.at(local('2026-03-10T10:00:00'));
    const wrong = await act('motcua.xa', 'forward', {});
    expectProblem(wrong, 409);
    expect(wrong.body.detail).toContain('Chuyển liên thông');
    const r = await act('motcua.xa', 'transfer', { note: 'Chuyển Sở Tư pháp tra cứu' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ statusCode: 4, currentUnitName: 'Sở Tư pháp', unitName: 'Ủy ban nhân dân xã Tân An', holder: { unitName: 'Sở Tư pháp', role: 'specialist' }, step: { kind: 'review' }, dueAt: due });
    expect(r.body.history.at(-1)).toMatchObject({ action: 'transfer', unitName: 'Ủy ban nhân dân xã Tân An', toUnitName: 'Sở Tư pháp' });
  });

  it('is seen whole by both units; the department’s specialist has it in the unit queue', async () => {
    const province = await get('chuyenvien.stp');
    expect(province.status).toBe(200);
    expect(province.body.history.map((x: { action: string }) => x.action)).toEqual(['receive', 'transfer']);
    expect(province.body.history[1].note).toBe('Chuyển Sở Tư pháp tra cứu');
    expect((await h.api(await h.token('chuyenvien.stp'), 'GET', '/api/dossiers?box=unit')).body.items.map((x: { id: string }) => x.id)).toEqual([id]);
    expect((await h.api(await h.token('chuyenvien.stp'), 'GET', `/api/files/${fileId}`)).status).toBe(200);
    expect((await get('motcua.xa')).status).toBe(200); // the commune keeps seeing it
    expect((await h.api(await h.token('motcua.xa'), 'GET', '/api/dossiers?box=all')).body.items.map((x: { id: string }) => x.id)).toContain(id);
  });

  it('is invisible to every other unit and to roles outside one-stop work', async () => {
    for (const user of ['vanthu.xa2', 'chuyenvien.tinh', 'lanhdao.tinh', 'vanthu.xa', 'admin']) {
      expectProblem(await get(user), 404);
      expectProblem(await h.api(await h.token(user), 'GET', `/api/dossiers/${id}/forms/01.pdf`), 404);
      expectProblem(await act(user, 'forward', {}), 404);
      expect((await h.api(await h.token(user), 'GET', '/api/dossiers?box=all')).body.total).toBe(0);
      expect((await h.api(await h.token(user), 'GET', `/api/files/${fileId}`)).status).toBe(404);
    }
    // Another citizen neither.
    expectProblem(await get('congdan'), 404);
  });

  it('is processed by the department (specialist → leader’s decision) and comes back to the commune desk', async () => {
    h.at(local('2026-03-12T09:00:00'));
    expectProblem(await act('motcua.xa', 'forward', {}), 403); // the commune no longer holds it
    const f = await act('chuyenvien.stp', 'forward', { toUserId: await h.t.userId('lanhdao.stp') });
    expect(f.status, JSON.stringify(f.body)).toBe(200);
    expect(f.body).toMatchObject({ holder: { userName: 'Trịnh Thu Hằng' }, step: { kind: 'decide' }, currentUnitName: 'Sở Tư pháp' });
    const a = await act('lanhdao.stp', 'approve', {});
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body).toMatchObject({ currentUnitName: 'Ủy ban nhân dân xã Tân An', holder: { unitName: 'Ủy ban nhân dân xã Tân An', role: 'onestop_officer' }, step: { kind: 'return' }, dueAt: due });
    // The department still sees the history after handing it back.
    expect((await get('lanhdao.stp')).body.history.map((x: { action: string }) => x.action)).toEqual(['receive', 'transfer', 'forward', 'approve']);
  });

  it('is completed and returned by the commune desk, on one shared deadline', async () => {
    const desk = await h.token('motcua.xa');
    const result = await h.upload(desk, await pdfOf(1, 'Criminal record certificate'), 'phieu-lltp.pdf');
    expect((await act('motcua.xa', 'complete', { fileIds: [result] })).body.statusCode).toBe(9);
    const r = await act('motcua.xa', 'return', { method: 'post' });
    expect(r.body).toMatchObject({ statusCode: 10, returnMethod: 'post', dueAt: due, dueState: 'early' });
    expect((await get('chuyenvien.stp')).body.statusCode).toBe(10);
  });
});
