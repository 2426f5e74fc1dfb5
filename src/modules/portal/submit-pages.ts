import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import { AppError, notFound } from '../../core/errors/index.js';
import { actorOf } from '../../core/http/context.js';
import { isUuid } from '../../core/ids/index.js';
import { createDossier, type DossierRow, performAction, presentDossier, readableDossier, RETURN_METHODS, type ReturnMethod, STATUS, updateDraft } from '../dossiers/index.js';
import { findProcedure, type ProcedureVersion, procedureVersionAt } from '../procedures/index.js';
import { offersOnline } from './catalogue-pages.js';
import { formatDateTime, html, time } from './html.js';
import { sendPage } from './layout.js';
import { caseChooser, type CarriedFile, errorIds, formErrors, type SubmitState, submitForm } from './submit-form.js';
import { checkCsrf, citizenOrSignIn, csrfToken, field, fields, formBody, type FormFields, type PortalOptions, readMultipart, seeOther, type Upload } from './web.js';

/**
 * Online submission (/nop-ho-so/:procedureId): choose the case, fill in the applicant's contacts,
 * upload each required document, "Lưu nháp" or "Nộp hồ sơ"; then a confirmation with what happens
 * next. Every rule is the dossiers module's (createDossier, updateDraft, submit); this file only maps
 * form posts onto them and shows their errors next to the fields.
 */

type Params = { procedureId: string };
type Query = { 'ho-so'?: string; 'truong-hop'?: string; 'chon-truong-hop'?: string; 'da-luu'?: string };

/** Units that receive this procedure's dossiers (the same rule the dossiers module checks). */
export async function receivingUnits(db: Db, v: ProcedureVersion): Promise<{ id: string; name: string }[]> {
  const ex = v.record.executing;
  const levels = v.record.twoLevel ? [v.record.twoLevel.receivingLevel] : ex.levels;
  const kinds = ex.kinds.length ? ex.kinds : ['people_committee'];
  const cond = ex.unitIds.length && !v.record.twoLevel
    ? sql`id = ANY(${`{${ex.unitIds.join(',')}}`}::uuid[])`
    : sql`level = ANY(${`{${levels.join(',')}}`}::text[]) AND kind = ANY(${`{${kinds.join(',')}}`}::text[])`;
  return queryRows<{ id: string; name: string }>(db, sql`SELECT id, name FROM units WHERE active AND ${cond} ORDER BY name LIMIT 500`);
}

export function registerSubmitPages(app: FastifyInstance, opts: PortalOptions): void {
  const now = () => app.clock.now();

  async function onlineVersion(procedureId: string): Promise<ProcedureVersion> {
    const row = await findProcedure(app.db, { id: procedureId });
    const v = row ? await procedureVersionAt(app.db, row.id, now()) : null;
    if (!row || !v) throw new AppError(404, 'not-found', 'Không tìm thấy thủ tục', 'Thủ tục không tồn tại, chưa có hiệu lực hoặc đã bãi bỏ.');
    if (!offersOnline(v)) throw new AppError(422, 'not-online', 'Thủ tục chưa nhận hồ sơ trực tuyến', `Thủ tục "${v.name}" chưa cung cấp dịch vụ công trực tuyến; vui lòng nộp tại Bộ phận Một cửa.`);
    return v;
  }

  /** The citizen's own draft of this procedure (404 otherwise). */
  async function ownDraft(p: Principal, id: string, procedureId: string): Promise<DossierRow> {
    const d = await readableDossier(app.db, p, id);
    if (d.procedureId !== procedureId) throw notFound('Hồ sơ');
    if (d.status !== STATUS.draft) throw new AppError(409, 'not-a-draft', 'Hồ sơ đã được nộp', 'Hồ sơ này đã nộp, không sửa được nữa. Xem tình trạng tại "Hồ sơ của tôi".');
    return d;
  }

  const citizenOnly = (p: Principal) => {
    if (p.kind !== 'citizen') throw new AppError(403, 'citizens-only', 'Chức năng dành cho công dân', 'Cán bộ tiếp nhận hồ sơ tại Bộ phận Một cửa trong trang quản lý.');
  };

  async function stateOf(req: FastifyRequest, reply: FastifyReply, p: Principal, procedureId: string, v: ProcedureVersion, caseKey: string, d: DossierRow | null): Promise<SubmitState> {
    const files: Record<string, CarriedFile[]> = {};
    let applicant = { phone: req.profile?.phone ?? '', email: req.profile?.email ?? '', address: '' };
    if (d) {
      const detail = await presentDossier(app.db, p, d, now());
      for (const f of detail.files.filter((x) => x.kind === 'document')) (files[f.documentIndex === null ? 'khac' : String(f.documentIndex)] ??= []).push({ fileId: f.fileId, name: f.name });
      applicant = { phone: detail.applicant.phone ?? '', email: detail.applicant.email ?? '', address: detail.applicant.address ?? '' };
    }
    const units = await receivingUnits(app.db, v);
    return {
      procedureId, version: v, caseKey, draftId: d?.id ?? null, units, unitId: d?.unitId ?? (units.length === 1 ? units[0].id : ''),
      applicant: { name: p.fullName, idNumber: req.profile?.idNumber ?? '', ...applicant },
      request: typeof d?.formData?.noiDung === 'string' ? d.formData.noiDung : '', returnMethod: d?.returnMethod ?? 'online',
      files, errors: [], title: null, saved: false, csrf: csrfToken(req, reply, opts.cookieSecure),
    };
  }

  app.get('/nop-ho-so/:procedureId', { schema: { hide: true } }, async (req: FastifyRequest<{ Params: Params; Querystring: Query }>, reply) => {
    const p = citizenOrSignIn(req, reply);
    if (!p) return reply;
    citizenOnly(p);
    const v = await onlineVersion(req.params.procedureId);
    const draft = req.query['ho-so'] ? await ownDraft(p, req.query['ho-so'], req.params.procedureId) : null;
    const chosen = req.query['truong-hop'];
    const known = (k: string | null | undefined) => (k && v.record.cases.some((c) => c.key === k) ? k : null);
    const caseKey = req.query['chon-truong-hop'] ? null : known(chosen) ?? known(draft?.caseKey) ?? (v.record.cases.length === 1 ? v.record.cases[0].key : null);
    if (!caseKey) {
      const error = chosen !== undefined && !known(chosen) ? 'Chọn một trường hợp.' : null;
      const body = caseChooser(req.params.procedureId, v, draft?.id ?? null, known(chosen) ?? known(draft?.caseKey), error);
      return sendPage(req, reply, { title: 'Nộp hồ sơ trực tuyến', body, nav: 'catalogue' }, error ? 400 : 200);
    }
    const s = await stateOf(req, reply, p, req.params.procedureId, v, caseKey, draft);
    if (draft && caseKey !== draft.caseKey) s.files = {}; // a new case: its own checklist
    s.saved = req.query['da-luu'] === '1';
    return sendPage(req, reply, { title: 'Nộp hồ sơ trực tuyến', body: submitForm(s), nav: 'catalogue', script: true });
  });

  /** The form post: save the draft (create or update), then submit when asked. */
  app.post('/nop-ho-so/:procedureId', { schema: { hide: true } }, async (req: FastifyRequest<{ Params: Params }>, reply) => {
    const p = citizenOrSignIn(req, reply);
    if (!p) return reply;
    citizenOnly(p);
    const v = await onlineVersion(req.params.procedureId);
    const { fields: f, uploads } = await readMultipart(req, app.fileStore, p, { fileSize: opts.uploadLimit });
    const submit = field(f, 'hanh-dong') === 'nop';
    const draft = field(f, 'draftId') ? await ownDraft(p, field(f, 'draftId'), req.params.procedureId) : null;
    const caseKey = v.record.cases.some((c) => c.key === field(f, 'caseId')) ? field(f, 'caseId') : (draft?.caseKey ?? v.record.cases[0].key);
    const docs = v.record.cases.find((c) => c.key === caseKey)!.documents;
    const carried = carriedFiles(f, uploads, docs.length);
    const patch = patchOf(f, caseKey, carried);
    const ctx = actorOf(req, now());
    let id = draft?.id ?? null;
    let savedOk = false;
    try {
      if (draft) await updateDraft(app.db, app.fileStore, p, draft, patch, ctx);
      else id = await createDossier(app.db, app.fileStore, p, { procedureId: v.procedureId, channel: 'online', draft: true, ...patch, fileIds: patch.fileIds ?? [] }, ctx);
      savedOk = true;
      if (submit) await performAction(app.db, app.fileStore, p, id!, 'submit', {}, actorOf(req, now()));
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 401 || err.status === 403) throw err;
      // Show the form again with what was typed and uploaded (a saved draft keeps its files; new uploads are carried by id).
      const saved = id ? await readableDossier(app.db, p, id) : null;
      const s = await stateOf(req, reply, p, req.params.procedureId, v, caseKey, saved);
      if (!savedOk) s.files = await namedFiles(app.db, p, carried);
      s.unitId = field(f, 'unitId');
      s.applicant = { ...s.applicant, phone: field(f, 'phone'), email: field(f, 'email'), address: field(f, 'address') };
      s.request = field(f, 'noiDung');
      s.returnMethod = field(f, 'returnMethod');
      s.errors = formErrors(err.errors?.length ? err.errors : [{ field: 'form', message: err.detail ?? err.title }], errorIds(v, caseKey));
      s.title = savedOk ? `${err.title} — bản nháp đã được lưu` : err.title;
      return sendPage(req, reply, { title: 'Nộp hồ sơ trực tuyến', body: submitForm(s), nav: 'catalogue', script: true }, err.status);
    }
    return seeOther(reply, submit ? `/nop-ho-so/da-nop/${id}` : `/nop-ho-so/${req.params.procedureId}?ho-so=${id}&da-luu=1`);
  });

  /** Autosave by the enhancement script: text fields only (files are saved by the form's own post). */
  app.post('/nop-ho-so/:procedureId/tu-luu', { schema: { hide: true } }, async (req: FastifyRequest<{ Params: Params }>, reply) => {
    try {
      const p = req.principal;
      if (!p) throw new AppError(401, 'unauthorized', 'Chưa đăng nhập hoặc phiên đã hết hạn');
      citizenOnly(p);
      const f = formBody(req);
      checkCsrf(req, field(f, '_csrf'));
      const v = await onlineVersion(req.params.procedureId);
      const caseKey = v.record.cases.some((c) => c.key === field(f, 'caseId')) ? field(f, 'caseId') : null;
      const { documents: _d, fileIds: _f, ...patch } = patchOf(f, caseKey, {});
      const ctx = actorOf(req, now());
      let id = field(f, 'draftId') || null;
      if (id) await updateDraft(app.db, app.fileStore, p, await ownDraft(p, id, req.params.procedureId), patch, ctx);
      else id = await createDossier(app.db, app.fileStore, p, { procedureId: v.procedureId, channel: 'online', draft: true, ...patch, fileIds: [] }, ctx);
      return reply.header('cache-control', 'no-store').send({ draftId: id, savedAt: formatDateTime(now()) });
    } catch (err) {
      const e = err instanceof AppError ? err : new AppError(500, 'internal', 'Lỗi hệ thống');
      if (!(err instanceof AppError)) req.log.error({ err }, 'autosave failed');
      return reply.code(e.status).type('application/problem+json; charset=utf-8').send({ type: `https://lienthong.vn/problems/${e.code}`, title: e.title, status: e.status, detail: e.detail, errors: e.errors });
    }
  });

  app.get('/nop-ho-so/da-nop/:id', { schema: { hide: true } }, async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const p = citizenOrSignIn(req, reply);
    if (!p) return reply;
    const d = await readableDossier(app.db, p, req.params.id);
    const detail = await presentDossier(app.db, p, d, now());
    const body = html`<h1>Đã nộp hồ sơ</h1>
<div class="ok" role="status"><p>Hồ sơ <strong>${detail.procedure.name}</strong> đã được gửi đến ${detail.unitName} lúc ${time(detail.submittedAt)}.</p></div>
<section aria-labelledby="tiep-theo"><h2 id="tiep-theo">Điều gì xảy ra tiếp theo?</h2><ol>
<li>Bộ phận Một cửa kiểm tra hồ sơ và <strong>tiếp nhận hoặc từ chối (có nêu lý do) trong vòng 8 giờ làm việc</strong>${detail.acceptBy ? html`, chậm nhất ${time(detail.acceptBy)}` : ''}.</li>
<li>Khi được tiếp nhận, hồ sơ có <strong>mã hồ sơ</strong> và <strong>ngày hẹn trả kết quả</strong>; bạn tra cứu được bằng mã này mà không cần đăng nhập.</li>
<li>Nếu hồ sơ cần bổ sung, bạn sẽ thấy danh sách giấy tờ cần bổ sung trong "Hồ sơ của tôi" và nộp bổ sung trực tuyến.</li>
<li>Thông báo được gửi qua ${detail.applicant.email ? 'e-mail và ' : ''}tin nhắn theo số điện thoại đã khai.</li>
</ol>
<a class="btn" href="/ho-so-cua-toi/${d.id}">Xem hồ sơ</a> <a class="btn alt" href="/ho-so-cua-toi">Hồ sơ của tôi</a></section>`;
    return sendPage(req, reply, { title: 'Đã nộp hồ sơ', body, nav: 'mine' });
  });
}

type Carried = Record<string, { fileId: string; name: string }[]>;

/** The files the form now holds per document: those it carried (minus the ones ticked for removal) and the new uploads. */
function carriedFiles(f: FormFields, uploads: Upload[], documents: number): Carried {
  const removed = new Set(fields(f, 'xoa'));
  const out: Carried = {};
  for (const key of [...Array.from({ length: documents }, (_, i) => String(i)), 'khac']) {
    const kept = fields(f, `tep-${key}`).filter((id) => !removed.has(id)).map((fileId) => ({ fileId, name: fileId }));
    const added = uploads.filter((u) => u.field === `doc-${key}`).map((u) => ({ fileId: u.fileId, name: u.name }));
    if (kept.length + added.length) out[key] = [...kept, ...added];
  }
  return out;
}

/** Names of the carried files, for showing the form again: only the citizen's own uploads or files of their own dossiers. */
async function namedFiles(db: Db, p: Principal, carried: Carried): Promise<Record<string, CarriedFile[]>> {
  const ids = Object.values(carried).flatMap((l) => l.map((x) => x.fileId)).filter(isUuid);
  if (ids.length === 0) return {};
  const rows = await queryRows<{ id: string; name: string }>(
    db,
    sql`SELECT f.id, f.name FROM files f WHERE f.id = ANY(${`{${ids.join(',')}}`}::uuid[]) AND (f.created_by = ${p.userId}
          OR EXISTS (SELECT 1 FROM dossier_files x JOIN dossiers d ON d.id = x.dossier_id WHERE x.file_id = f.id AND (d.created_by = ${p.userId} OR d.applicant_user_id = ${p.userId})))`,
  );
  const names = new Map(rows.map((r) => [r.id, r.name]));
  return Object.fromEntries(Object.entries(carried).map(([k, list]) => [k, list.filter((x) => names.has(x.fileId)).map((x) => ({ fileId: x.fileId, name: names.get(x.fileId)! }))]));
}

function patchOf(f: FormFields, caseKey: string | null, carried: Carried) {
  const returnMethod = (RETURN_METHODS as readonly string[]).includes(field(f, 'returnMethod')) ? (field(f, 'returnMethod') as ReturnMethod) : null;
  const request = field(f, 'noiDung').slice(0, 4000);
  return {
    caseId: caseKey,
    unitId: field(f, 'unitId') || null,
    applicant: { phone: field(f, 'phone') || null, email: field(f, 'email') || null, address: field(f, 'address') || null },
    returnMethod,
    formData: request ? { noiDung: request } : {},
    documents: Object.entries(carried).filter(([k]) => k !== 'khac').map(([k, list]) => ({ index: Number(k), fileIds: list.map((x) => x.fileId) })),
    fileIds: (carried.khac ?? []).map((x) => x.fileId),
  };
}
