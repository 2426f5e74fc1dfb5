import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS, STATUS_CODES, type StatusCode } from './status.js';
import { CODES, createDossierApp, type DossierTestApp, expectProblem, pdfOf, TUESDAY_9AM, UNITS } from './testing.js';
import { ACTIONS, type DossierAction, TERMINAL, type Transition, TRANSITIONS, transitionFor } from './transitions.js';

/**
 * Every action against every status, through HTTP: each row of the transition table is taken by an
 * allowed actor (the new status is the row's) and refused to an actor outside the row; every pair
 * outside the table is refused with 409 and the dossier is unchanged.
 */

let h: DossierTestApp;
let marriage: string;
let extract: string;
let criminal: string;
let twoLevel: string; // a two-level procedure whose commune specialist transfers (transfer from status 4)
let tanAn: string;
let citizenId: string;
const future = new Date('2026-03-30T09:00:00+07:00').toISOString();

const post = async (user: string, id: string, action: string, body: Record<string, unknown> = {}) => h.api(await h.token(user), 'POST', `/api/dossiers/${id}/actions/${action}`, body);
const ok = async (user: string, id: string, action: string, body: Record<string, unknown> = {}) => {
  const r = await post(user, id, action, body);
  expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
  return r.body;
};

async function received(procedureId = marriage): Promise<string> {
  const r = await h.api(await h.token('motcua.xa'), 'POST', '/api/dossiers', {
    procedureId, caseId: procedureId === marriage ? 'th2' : 'th1', channel: 'counter', applicant: { citizenId },
    documents: [{ index: 0, fileIds: [] }, { index: 1, fileIds: [] }], fileIds: [],
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id;
}

async function online(draft: boolean): Promise<string> {
  const c = await h.token('congdan');
  const scan = await h.upload(c, await pdfOf(), 'to-khai.pdf');
  const r = await h.api(c, 'POST', '/api/dossiers', { procedureId: extract, channel: 'online', unitId: tanAn, draft, documents: [{ index: 0, fileIds: [scan] }], fileIds: [] });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id;
}

/** A dossier in the status, made through the API the way it happens. */
async function dossierAt(status: StatusCode): Promise<string> {
  switch (status) {
    case STATUS.draft: return online(true);
    case STATUS.submitted: return online(false);
    case STATUS.received: return received();
    case STATUS.refused: { const id = await received(); await ok('motcua.xa', id, 'refuse', { reason: 'Không thuộc thẩm quyền' }); return id; }
    case STATUS.withdrawn: { const id = await received(); await ok('congdan', id, 'withdraw', { reason: 'Xin rút' }); return id; }
    case STATUS.stopped: { const id = await received(); await ok('lanhdao.xa', id, 'stop', { reason: 'Dừng' }); return id; }
    case STATUS.processing: { const id = await received(); await ok('motcua.xa', id, 'forward', { toUserId: await h.t.userId('chuyenvien.xa') }); return id; }
    case STATUS.supplementRequested: { const id = await dossierAt(STATUS.processing); await ok('chuyenvien.xa', id, 'request-supplement', { reason: 'Thiếu', items: ['Giấy xác nhận'] }); return id; }
    case STATUS.awaitingFee: { const id = await dossierAt(STATUS.processing); await ok('chuyenvien.xa', id, 'request-fee', { reason: 'Lệ phí theo thông báo', feeAmount: 50_000 }); return id; }
    case STATUS.done: {
      const id = await dossierAt(STATUS.processing);
      await ok('chuyenvien.xa', id, 'forward', {});
      await ok('lanhdao.xa', id, 'approve', {});
      await ok('motcua.xa', id, 'complete', { fileIds: [await h.upload(await h.token('motcua.xa'), await pdfOf(), 'kq.pdf')] });
      return id;
    }
    case STATUS.returned: { const id = await dossierAt(STATUS.done); await ok('motcua.xa', id, 'return', { method: 'counter' }); return id; }
  }
}

/** For each row: who takes it, with what, and on which dossier (prepared for the row). */
async function setupRow(t: Transition): Promise<{ id: string; user: string; body: Record<string, unknown>; outsider: string }> {
  const reason = { reason: 'Lý do theo quy định' };
  // Transfer from 2: the desk sends the demo criminal-record dossier on; from 4: the commune specialist of the test procedure does.
  const id = t.action === 'transfer'
    ? await (async () => {
        if (t.from === STATUS.received) return received(criminal);
        const d = await received(twoLevel);
        await ok('motcua.xa', d, 'forward', { toUserId: await h.t.userId('chuyenvien.xa') });
        return d;
      })()
    : t.action === 'approve' || (t.action === 'complete' && t.from === STATUS.processing)
      ? await (async () => {
          const d = await dossierAt(STATUS.processing);
          await ok('chuyenvien.xa', d, 'forward', {});
          if (t.action === 'complete') await ok('lanhdao.xa', d, 'approve', {});
          return d;
        })()
      : await dossierAt(t.from);
  const holder = t.from === STATUS.processing ? 'chuyenvien.xa' : 'motcua.xa';
  switch (t.action) {
    case 'submit': return { id, user: 'congdan', body: {}, outsider: 'motcua.xa' };
    case 'accept': return { id, user: 'motcua.xa', body: {}, outsider: 'chuyenvien.xa' };
    case 'refuse': return { id, user: holder, body: reason, outsider: 'congdan' };
    case 'request-supplement': return { id, user: holder, body: { ...reason, items: ['Bản sao giấy tờ tùy thân'] }, outsider: 'congdan' };
    case 'request-fee': return { id, user: holder, body: { reason: 'Lệ phí cấp bản sao theo quy định', feeAmount: 20_000 }, outsider: 'congdan' };
    case 'fee-paid': return { id, user: 'chuyenvien.xa', body: { reason: 'Giấy nộp tiền vào ngân sách nhà nước số 0012345' }, outsider: 'congdan' };
    case 'supplement': return { id, user: 'congdan', body: { fileIds: [await h.upload(await h.token('congdan'), await pdfOf(), 'bs.pdf')] }, outsider: 'chuyenvien.xa' };
    case 'forward': return { id, user: holder, body: t.from === STATUS.received ? { toUserId: await h.t.userId('chuyenvien.xa') } : {}, outsider: 'congdan' };
    case 'transfer': return { id, user: holder, body: {}, outsider: 'congdan' };
    case 'approve': return { id, user: 'lanhdao.xa', body: {}, outsider: 'chuyenvien.xa' };
    case 'complete': return { id, user: 'motcua.xa', body: { fileIds: [await h.upload(await h.token('motcua.xa'), await pdfOf(), 'kq.pdf')] }, outsider: 'congdan' };
    case 'return': return { id, user: 'motcua.xa', body: { method: 'counter' }, outsider: 'lanhdao.xa' };
    case 'apologize': return { id, user: 'motcua.xa', body: { ...reason, newDueAt: future }, outsider: 'congdan' };
    case 'stop': return { id, user: 'lanhdao.xa', body: reason, outsider: 'chuyenvien.xa' };
    case 'withdraw': return { id, user: 'congdan', body: reason, outsider: 'chuyenvien.xa' };
  }
}

beforeAll(async () => {
  h = await createDossierApp(TUESDAY_9AM);
  await h.official('chuyenvien.stp', 'Đỗ Minh Tuấn', UNITS.justice, 'specialist');
  marriage = await h.procedure(CODES.marriage);
  extract = await h.procedure(CODES.extract);
  criminal = await h.procedure(CODES.criminalRecord);
  tanAn = await h.t.unitId(UNITS.tanAn);
  citizenId = await h.t.userId('congdan');
  const justice = await h.t.unitId(UNITS.justice);
  const step = (kind: string, name: string, role: string, unitRule: string, hours: number) => ({ kind, name, role, unitRule, shareKind: 'hours', shareValue: hours });
  const r = await h.api(await h.token('admin'), 'POST', '/api/procedures', {
    code: '9.999001', effectiveFrom: '2026-01-01', name: 'Thủ tục liên thông thử nghiệm', field: 'Tư pháp', level: 'province', onlineLevel: 'none',
    record: {
      executing: { levels: ['province'], kinds: [], unitIds: [justice] }, applicants: ['citizen'], steps: 'Xã thẩm định, Sở quyết định.',
      channels: [{ channel: 'in_person', timeLimit: { unit: 'working-days', amount: 10 }, fee: { kind: 'free' } }],
      cases: [{ key: 'th1', name: 'Thông thường', documents: [{ name: 'Tờ khai', originals: 1, copies: 0, required: true }, { name: 'Giấy tờ tùy thân', originals: 0, copies: 1, required: false }] }],
      result: 'Văn bản', legalBasis: 'Thử nghiệm', twoLevel: { receivingLevel: 'commune', decidingLevel: 'province', decidingUnitId: justice },
    },
    process: [
      step('receive', 'Tiếp nhận', 'onestop_officer', 'receiving_unit', 4), step('review', 'Xã thẩm định', 'specialist', 'receiving_unit', 8),
      step('transfer', 'Chuyển Sở', 'specialist', 'receiving_unit', 4), step('decide', 'Sở quyết định', 'specialist', 'deciding_unit', 40),
      step('return', 'Trả kết quả', 'onestop_officer', 'receiving_unit', 4),
    ],
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  twoLevel = r.body.id;
}, 240_000); // a fresh database and the demo catalogue: slow on a busy machine
afterAll(async () => h?.t.close());

describe('the transition table', () => {
  it('covers every action, has one row per action and status, and nothing leaves a final status', () => {
    for (const a of ACTIONS) expect(TRANSITIONS.some((t) => t.action === a), a).toBe(true);
    const keys = TRANSITIONS.map((t) => `${t.action}@${t.from}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const s of TERMINAL) expect(TRANSITIONS.filter((t) => t.from === s)).toEqual([]);
    for (const t of TRANSITIONS.filter((x) => x.form && x.form !== '01')) expect(t.reason, `${t.action} issues form ${t.form}`).toBe(true);
  });
});

describe('allowed transitions (each row of the table, through HTTP)', () => {
  for (const t of TRANSITIONS) {
    it(`${t.action}: ${t.from} → ${t.to} by ${t.actors.join('/')}`, async () => {
      const { id, user, body, outsider } = await setupRow(t);
      const refused = await post(outsider, id, t.action, body);
      expect([403, 404], `${outsider} may not ${t.action}: ${JSON.stringify(refused.body)}`).toContain(refused.status);
      expectProblem(refused, refused.status);
      const before = (await h.api(await h.token(user), 'GET', `/api/dossiers/${id}`)).body;
      expect(before.statusCode).toBe(t.from);
      expect(before.allowedActions, 'offered to the allowed actor').toContain(t.action);
      const r = await post(user, id, t.action, body);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const expected = t.to === 'same' ? t.from : t.to === 'resume' ? STATUS.processing : t.to;
      expect(r.body.statusCode).toBe(expected);
      expect(r.body.history.at(-1)).toMatchObject({ action: t.action, fromStatus: t.from, toStatus: expected, formNumber: t.form ?? null });
    });
  }
});

describe('refused transitions (every action outside the table, for every status)', () => {
  for (const status of STATUS_CODES) {
    const refused = ACTIONS.filter((a) => !transitionFor(a, status));
    it(`status ${status}: ${refused.join(', ')} → 409, nothing changes`, async () => {
      const id = await dossierAt(status);
      const user = status === STATUS.draft ? 'congdan' : 'motcua.xa';
      const before = (await h.api(await h.token(user), 'GET', `/api/dossiers/${id}`)).body;
      for (const action of refused as DossierAction[]) {
        const r = await post(user, id, action, { reason: 'Lý do', items: ['x'], newDueAt: future, method: 'counter' });
        expectProblem(r, 409);
        expect(r.body.type, action).toContain('invalid-transition');
      }
      const after = (await h.api(await h.token(user), 'GET', `/api/dossiers/${id}`)).body;
      expect(after.history).toEqual(before.history);
      expect(after.statusCode).toBe(status);
    });
  }
});
