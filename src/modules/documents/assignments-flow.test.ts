import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal, RoleGrant } from '../../core/access/index.js';
import type { ActorContext } from '../../core/audit/index.js';
import { inTransaction, queryRows } from '../../core/db/index.js';
import { newId } from '../../core/ids/index.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { type Api, api, daysFrom, expectProblem, incomingBody, registerDoc, samplePdf, upload } from './incoming-testkit.js';
import { type IncomingInput, registerIncomingTx } from './incoming.js';

/**
 * Longer flows of incoming documents: forwarding to a subordinate unit and assigning within it, secret
 * documents, the sender's view of a document received through the system, the return dispatch.
 */

let t: TestContext;
const now = new Date();
let clerk: Api;
let leader: Api;
let specialist: Api;
let motcua: Api; // made deputy leader of the one-stop desk (Bộ phận Một cửa) of Tân An below
let ids: { clerk: string; leader: string; specialist: string; motcua: string; clerk2: string; tanAn: string; desk: string; phuLoc: string };

beforeAll(async () => {
  t = await createTestApp();
  ids = {
    clerk: await t.userId('vanthu.xa'),
    leader: await t.userId('lanhdao.xa'),
    specialist: await t.userId('chuyenvien.xa'),
    motcua: await t.userId('motcua.xa'),
    clerk2: await t.userId('vanthu.xa2'),
    tanAn: await t.unitId('000.01.31.H99'),
    desk: await t.unitId('002.01.31.H99'),
    phuLoc: await t.unitId('000.02.31.H99'),
  };
  await t.database.db.execute(sql`INSERT INTO role_assignments (user_id, unit_id, role) VALUES (${ids.motcua}, ${ids.desk}, 'deputy_leader')`);
  clerk = api(t, await t.login('vanthu.xa'));
  leader = api(t, await t.login('lanhdao.xa'));
  specialist = api(t, await t.login('chuyenvien.xa'));
  motcua = api(t, await t.login('motcua.xa'));
});
afterAll(() => t.close());

type Item = { id: string; role: string; status: string; assigneeUserId: string | null; assigneeUnitId: string | null; parentId: string | null; dueDate: string | null };
type Detail = { status: string; allowedActions: string[]; assignments: Item[]; timeline: { action: string; text: string | null; detail: Record<string, unknown> | null }[]; presentedTo: string | null; files: { fileId: string; role: string }[]; pageCount: number | null; receivedVia: string | null; recipients: { status: string }[] };
const ok = async (p: Promise<{ statusCode: number; body: string; json(): unknown }>) => {
  const res = await p;
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Detail;
};
const assignedToSpecialist = async (over: Record<string, unknown> = {}) => {
  const { id } = await registerDoc(clerk, now, over);
  await ok(clerk.post(`/api/documents/${id}/present`, { leaderId: ids.leader }));
  await ok(leader.post(`/api/documents/${id}/assign`, { leadUserId: ids.specialist, dueDate: daysFrom(now, 10), instruction: 'Đồng chí Nam chủ trì.' }));
  return id;
};

describe('forward to a subordinate unit; its leader assigns within it', () => {
  it('validates the target: a unit below the handler’s unit, a deadline not in the past', async () => {
    const id = await assignedToSpecialist();
    expectProblem(await specialist.post(`/api/documents/${id}/forward`, { unitId: ids.phuLoc }), 404, 'unitId');
    expectProblem(await specialist.post(`/api/documents/${id}/forward`, { unitId: ids.tanAn }), 404, 'unitId');
    expectProblem(await specialist.post(`/api/documents/${id}/forward`, { unitId: ids.specialist }), 404, 'unitId');
    expectProblem(await specialist.post(`/api/documents/${id}/forward`, { unitId: ids.desk, dueDate: daysFrom(now, -1) }), 400, 'dueDate');
    expectProblem(await specialist.post(`/api/documents/${id}/forward`, { note: 'không có đơn vị' }), 400, 'unitId');
    expectProblem(await clerk.post(`/api/documents/${id}/forward`, { unitId: ids.desk }), 403);
  });

  it('the desk’s deputy assigns within the desk; the lead’s completion completes the desk’s item and the document', async () => {
    const id = await assignedToSpecialist();
    const fwd = await ok(specialist.post(`/api/documents/${id}/forward`, { unitId: ids.desk, note: 'Chuyển Bộ phận Một cửa giải quyết', dueDate: daysFrom(now, 5) }));
    const old = fwd.assignments.find((a) => a.assigneeUserId === ids.specialist)!;
    const desk = fwd.assignments.find((a) => a.assigneeUnitId === ids.desk)!;
    expect(old.status).toBe('forwarded');
    expect(desk).toMatchObject({ role: 'lead', status: 'pending', parentId: old.id, dueDate: daysFrom(now, 5) });
    expect(fwd.timeline.at(-1)).toMatchObject({ action: 'forwarded', text: 'Chuyển Bộ phận Một cửa giải quyết' });

    const seen = await ok(motcua.get(`/api/documents/${id}`));
    expect(seen.allowedActions).toEqual(['assign', 'progress', 'return', 'complete', 'unread']);
    expectProblem(await motcua.post(`/api/documents/${id}/assign`, { leadUserId: ids.specialist, instruction: 'x' }), 404, 'leadUserId'); // not in the desk
    expectProblem(await motcua.post(`/api/documents/${id}/assign`, { leadUserId: ids.motcua, instruction: 'x', withinAssignmentId: old.id }), 404, 'withinAssignmentId');
    const within = await ok(motcua.post(`/api/documents/${id}/assign`, { leadUserId: ids.motcua, instruction: 'Tự xử lý.', dueDate: daysFrom(now, 4) }));
    const child = within.assignments.find((a) => a.parentId === desk.id)!;
    expect(child).toMatchObject({ role: 'lead', assigneeUserId: ids.motcua, status: 'pending' });
    expect(within.status).toBe('assigned'); // the document's own assignment is unchanged
    expect(within.timeline.at(-1)?.detail).toMatchObject({ withinAssignmentId: desk.id });

    const started = await ok(motcua.post(`/api/documents/${id}/progress`, { note: 'Đang xử lý', assignmentId: child.id }));
    expect(started.status).toBe('in_progress');
    expect(started.assignments.find((a) => a.id === desk.id)!.status).toBe('in_progress');
    const done = await ok(motcua.post(`/api/documents/${id}/complete`, { note: 'Đã giải quyết', assignmentId: child.id }));
    expect(done.status).toBe('completed');
    expect(done.assignments.filter((a) => a.status === 'completed').map((a) => a.id).sort()).toEqual([child.id, desk.id].sort());
    expect(done.timeline.map((e) => e.action)).toEqual(['registered', 'presented', 'assigned', 'forwarded', 'assigned', 'progress', 'completed']);
  });

  it('a return inside the desk goes to the desk; the desk’s return goes to the leader who assigned the chain', async () => {
    const id = await assignedToSpecialist();
    await ok(specialist.post(`/api/documents/${id}/forward`, { unitId: ids.desk }));
    const within = await ok(motcua.post(`/api/documents/${id}/assign`, { leadUserId: ids.motcua, instruction: 'Tự xử lý.' }));
    const desk = within.assignments.find((a) => a.assigneeUnitId === ids.desk)!;
    const child = within.assignments.find((a) => a.parentId === desk.id)!;
    await ok(motcua.post(`/api/documents/${id}/progress`, { note: 'Bắt đầu', assignmentId: child.id }));
    const back = await ok(motcua.post(`/api/documents/${id}/return`, { reason: 'Cần bổ sung hồ sơ', assignmentId: child.id }));
    expect(back.assignments.find((a) => a.id === child.id)!.status).toBe('returned');
    expect(back.assignments.find((a) => a.id === desk.id)!.status).toBe('pending');
    expect(back.status).toBe('in_progress');
    const up = await ok(motcua.post(`/api/documents/${id}/return`, { reason: 'Không thuộc thẩm quyền Bộ phận Một cửa', assignmentId: desk.id }));
    expect(up).toMatchObject({ status: 'presented', presentedTo: ids.leader });
  });

  it('the leader’s re-assignment cancels the whole chain, and the desk loses sight of the document', async () => {
    const id = await assignedToSpecialist();
    await ok(specialist.post(`/api/documents/${id}/forward`, { unitId: ids.desk }));
    await ok(motcua.post(`/api/documents/${id}/assign`, { leadUserId: ids.motcua, instruction: 'Tự xử lý.' }));
    const d = await ok(leader.post(`/api/documents/${id}/assign`, { leadUserId: ids.specialist, instruction: 'Giao lại.' }));
    expect(d.assignments.map((a) => a.status)).toEqual(['forwarded', 'cancelled', 'cancelled', 'pending']);
    expectProblem(await motcua.get(`/api/documents/${id}`), 404);
  });
});

describe('secret documents', () => {
  it('are seen by the registering clerk, the leader presented to and the named handlers only', async () => {
    const { id } = await registerDoc(clerk, now, { secrecy: 'top_secret', subject: 'Văn bản tuyệt mật' });
    expectProblem(await leader.get(`/api/documents/${id}`), 404);
    expectProblem(await leader.post(`/api/documents/${id}/assign`, { leadUserId: ids.specialist, instruction: 'x' }), 404);
    await ok(clerk.post(`/api/documents/${id}/present`, { leaderId: ids.leader }));
    const d = await ok(leader.get(`/api/documents/${id}`));
    expect(d.allowedActions).toEqual(['assign', 'unread']);
    await ok(leader.post(`/api/documents/${id}/assign`, { leadUserId: ids.specialist, instruction: 'Xử lý theo chế độ mật.' }));
    expect((await ok(specialist.get(`/api/documents/${id}`))).files).toEqual([]);
    expectProblem(await motcua.get(`/api/documents/${id}`), 404);
  });
});

async function principalOf(username: string): Promise<Principal> {
  const [u] = await queryRows<{ id: string; full_name: string; unit_id: string }>(t.database.db, sql`SELECT u.id, u.full_name, o.unit_id FROM users u JOIN officials o ON o.user_id = u.id WHERE u.username = ${username}`);
  const roles = await queryRows<RoleGrant>(t.database.db, sql`SELECT ra.unit_id AS "unitId", un.path AS "unitPath", ra.role FROM role_assignments ra JOIN units un ON un.id = ra.unit_id WHERE ra.user_id = ${u.id}`);
  return { userId: u.id, kind: 'official', username, fullName: u.full_name, unitId: u.unit_id, roles };
}

describe('a document received through the system (registerIncomingTx) and the sender’s view', () => {
  it('links the sender’s files unchanged, and moves the sender’s recipient status forward with each step', async () => {
    // Phú Lộc's issued outgoing document with its signed PDF, sent to Tân An.
    const srcId = newId();
    const pdf = await upload(t, await t.login('vanthu.xa2'), await samplePdf(4), 'cong-van-phu-loc.pdf');
    const db = t.database.db;
    await db.execute(sql`INSERT INTO documents (id, unit_id, direction, status, type_code, subject, code_number, code_notation, issued_date, issuer_unit_id, issuer_name, created_by, created_at, updated_at, search_text)
      VALUES (${srcId}, ${ids.phuLoc}, 'outgoing', 'issued', 'CV', 'Đề nghị phối hợp', 12, 'UBND-VP', ${daysFrom(now, -1)}, ${ids.phuLoc}, 'Ủy ban nhân dân xã Phú Lộc', ${ids.clerk2}, now(), now(), 'de nghi phoi hop')`);
    await db.execute(sql`INSERT INTO document_files (id, document_id, file_id, role, version, created_at) VALUES (${newId()}, ${srcId}, ${pdf}, 'main', 1, now())`);

    const p = await principalOf('vanthu.xa');
    const ctx: ActorContext = { actorId: p.userId, actorName: p.fullName, unitId: p.unitId, requestId: null, ip: null, now };
    const fields = incomingBody(now, { issuer: 'Ủy ban nhân dân xã Phú Lộc', issuerUnitId: ids.phuLoc, codeNumber: 12, codeNotation: 'UBND-VP', issuedDate: daysFrom(now, -1) }) as IncomingInput;
    const input = { ...fields, fileIds: [pdf], receivedVia: 'system' as const, sourceDocumentId: srcId };
    // a file that is neither the sender's nor the clerk's is refused
    const stranger = await upload(t, await t.login('chuyenvien.xa'), await samplePdf(1), 'x.pdf');
    await expect(inTransaction(db, (tx) => registerIncomingTx(tx, p, ids.tanAn, { ...input, fileIds: [stranger] }, ctx, t.app.fileStore))).rejects.toMatchObject({ status: 404 });
    const created = await inTransaction(db, (tx) => registerIncomingTx(tx, p, ids.tanAn, input, ctx, t.app.fileStore));
    await db.execute(sql`INSERT INTO document_recipients (id, document_id, kind, unit_id, receiving_unit_id, name, status, incoming_document_id, updated_at)
      VALUES (${newId()}, ${srcId}, 'unit', ${ids.tanAn}, ${ids.tanAn}, 'Ủy ban nhân dân xã Tân An', 'accepted', ${created.id}, now())`);
    const recipientStatus = async () => (await queryRows<{ status: string }>(db, sql`SELECT status FROM document_recipients WHERE document_id = ${srcId}`))[0].status;

    const d = await ok(clerk.get(`/api/documents/${created.id}`));
    expect(d).toMatchObject({ receivedVia: 'system', pageCount: 4 });
    expect(d.files).toEqual([expect.objectContaining({ fileId: pdf, role: 'main' })]);

    await ok(clerk.post(`/api/documents/${created.id}/present`, { leaderId: ids.leader }));
    expect(await recipientStatus()).toBe('accepted');
    await ok(leader.post(`/api/documents/${created.id}/assign`, { leadUserId: ids.specialist, instruction: 'Phối hợp theo đề nghị.' }));
    expect(await recipientStatus()).toBe('assigned');
    await ok(specialist.post(`/api/documents/${created.id}/progress`, { note: 'Đang phối hợp' }));
    expect(await recipientStatus()).toBe('processing');
    await ok(leader.post(`/api/documents/${created.id}/assign`, { leadUserId: ids.motcua, instruction: 'Giao lại.' }));
    expect(await recipientStatus()).toBe('processing'); // never backwards
    await ok(motcua.post(`/api/documents/${created.id}/complete`, { note: 'Đã phối hợp xong' }));
    expect(await recipientStatus()).toBe('done');

    const steps = await queryRows<{ action: string; unit_id: string; detail: { recipient: string; status: string } }>(db, sql`SELECT action, unit_id, detail FROM document_events WHERE document_id = ${srcId} ORDER BY at, id`);
    expect(steps.map((s) => [s.action, s.detail.status, s.detail.recipient])).toEqual([
      ['delivered', 'assigned', 'Ủy ban nhân dân xã Tân An'],
      ['delivered', 'processing', 'Ủy ban nhân dân xã Tân An'],
      ['delivered', 'done', 'Ủy ban nhân dân xã Tân An'],
    ]);
    expect(steps.every((s) => s.unit_id === ids.phuLoc)).toBe(true);
  });
});

describe('POST /api/documents/{id}/return on an outgoing document', () => {
  it('goes to the review chain (returnForRevision), not to the incoming handling', async () => {
    const id = newId();
    await t.database.db.execute(sql`INSERT INTO documents (id, unit_id, direction, status, type_code, subject, issuer_name, created_by, created_at, updated_at, search_text)
      VALUES (${id}, ${ids.tanAn}, 'outgoing', 'draft', 'CV', 'Dự thảo công văn', 'UBND xã Tân An', ${ids.specialist}, now(), now(), 'du thao cong van')`);
    const res = await specialist.post(`/api/documents/${id}/return`, { reason: 'Chưa đúng thể thức' });
    const problem = expectProblem(res, 409);
    expect(problem.type).not.toBe('https://lienthong.vn/problems/wrong-direction');
    expectProblem(await specialist.post(`/api/documents/${id}/progress`, { note: 'x' }), 409); // handling steps are for incoming documents
  });
});
