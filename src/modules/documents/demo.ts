import { sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import type { ActorContext } from '../../core/audit/index.js';
import { type Database, queryRows } from '../../core/db/index.js';
import type { FileStore } from '../../core/files/index.js';
import { renderTextPagePdf } from '../../core/pdf/index.js';
import { loadPrincipal } from '../directory/index.js';
import { storeFile } from '../files/index.js';
import { assignDocument, completeAssignment, presentDocument, recordProgress } from './assignments.js';
import { addDays } from './deadlines.js';
import { registerIncoming, type IncomingBody } from './incoming.js';
import { issueDocument } from './issue.js';
import { localDate } from './numbering.js';
import { createDraft } from './outgoing.js';
import { approveStep, submitForReview } from './review.js';

/**
 * Demo documents for the demo province, made through the real services (numbers, timelines, audit
 * records and files are what a real day produces): Tân An has documents in every state of its inbox,
 * an outgoing document issued to Phú Lộc waits in Phú Lộc's clerk queue, a draft waits for approval.
 * Idempotent: does nothing when any document exists.
 */
export async function seedDemoDocuments(database: Database, store: FileStore, now: Date): Promise<boolean> {
  const db = database.db;
  const [{ n }] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM documents`);
  if (n > 0) return false;
  const users = new Map((await queryRows<{ id: string; username: string }>(db, sql`SELECT id, username FROM users`)).map((u) => [u.username, u.id]));
  const units = new Map((await queryRows<{ id: string; agency_code: string }>(db, sql`SELECT id, agency_code FROM units WHERE agency_code IS NOT NULL`)).map((u) => [u.agency_code, u.id]));
  if (!users.has('vanthu.xa') || !units.has('000.01.31.H99')) return false; // no demo directory
  const who = async (username: string): Promise<{ p: Principal; ctx: ActorContext }> => {
    const p = (await loadPrincipal(database, users.get(username)!))!;
    return { p, ctx: { actorId: p.userId, actorName: p.fullName, unitId: p.unitId, requestId: null, ip: null, now } };
  };
  const today = localDate(now);
  const day = (offset: number) => addDays(today, offset);
  const pdf = async (as: { p: Principal; ctx: ActorContext }, name: string, lines: string[]) => {
    const content = Buffer.from(
      await renderTextPagePdf({ lines: lines.map((text, i) => ({ text, bold: i < 2, align: i < 2 ? 'center' : 'left', size: i < 2 ? 13 : 12 })) }),
    );
    return (await storeFile(db, store, as.p, { content, name }, as.ctx)).id;
  };

  const clerk = await who('vanthu.xa');
  const leader = await who('lanhdao.xa');
  const specialist = await who('chuyenvien.xa');
  const incoming = (body: Partial<IncomingBody>) =>
    registerIncoming(db, clerk.p, { urgency: 'normal', secrecy: 'none', receivedVia: 'paper', attachmentIds: [], ...body } as IncomingBody, clerk.ctx, store);

  // 1. Urgent guidance from the provincial Department of Justice, being handled by the specialist.
  const f1 = await pdf(clerk, 'cong-van-125-STP-HCTP.pdf', [
    'SỞ TƯ PHÁP TỈNH THÁI HÒA', 'Số: 125/STP-HCTP',
    'V/v hướng dẫn đăng ký khai sinh trực tuyến trên Cổng Dịch vụ công.',
    'Kính gửi: Ủy ban nhân dân các xã, phường.',
    'Sở Tư pháp đề nghị Ủy ban nhân dân các xã triển khai tiếp nhận hồ sơ đăng ký khai sinh trực tuyến toàn trình.',
  ]);
  const d1 = await incoming({
    issuer: 'Sở Tư pháp', issuerUnitId: units.get('000.00.03.H99') ?? null, codeNumber: 125, codeNotation: 'STP-HCTP', issuedDate: day(-3), typeCode: 'CV',
    subject: 'Về việc hướng dẫn đăng ký khai sinh trực tuyến trên Cổng Dịch vụ công', signerName: 'Trần Văn Hải', signerPosition: 'Phó Giám đốc',
    urgency: 'urgent', dueDate: day(7), fileIds: [f1],
  });
  await presentDocument(db, clerk.p, d1.id, { leaderId: leader.p.userId, note: 'Kính trình đồng chí Chủ tịch cho ý kiến chỉ đạo.' }, clerk.ctx);
  await assignDocument(db, leader.p, d1.id, {
    leadUserId: specialist.p.userId, coHandlerIds: [], forInfoIds: [], dueDate: day(5),
    instruction: 'Giao đồng chí Nam chủ trì nghiên cứu, tham mưu triển khai; báo cáo kết quả trước hạn.',
  }, leader.ctx);
  await recordProgress(db, specialist.p, d1.id, { note: 'Đã rà soát quy trình, đang dự thảo kế hoạch triển khai.', percent: 40 }, specialist.ctx);

  // 2. A provincial plan presented to the leader, waiting for instructions.
  const f2 = await pdf(clerk, 'ke-hoach-45-KH-UBND.pdf', [
    'ỦY BAN NHÂN DÂN TỈNH THÁI HÒA', 'KẾ HOẠCH', 'Phòng, chống thiên tai và tìm kiếm cứu nạn năm 2027.',
  ]);
  const d2 = await incoming({
    issuer: 'Ủy ban nhân dân tỉnh Thái Hòa', issuerUnitId: units.get('000.00.00.H99') ?? null, codeNumber: 45, codeNotation: 'KH-UBND', issuedDate: day(-1), typeCode: 'KH',
    subject: 'Kế hoạch phòng, chống thiên tai và tìm kiếm cứu nạn năm 2027', signerName: 'Lê Quang Huy', signerPosition: 'Phó Chủ tịch', dueDate: day(14), fileIds: [f2],
  });
  await presentDocument(db, clerk.p, d2.id, { leaderId: leader.p.userId }, clerk.ctx);

  // 3. A notice handled and completed on time.
  const f3 = await pdf(clerk, 'thong-bao-12-TB-UBND.pdf', ['ỦY BAN NHÂN DÂN TỈNH THÁI HÒA', 'THÔNG BÁO', 'Lịch tiếp công dân định kỳ của lãnh đạo tỉnh.']);
  const d3 = await incoming({
    issuer: 'Ủy ban nhân dân tỉnh Thái Hòa', issuerUnitId: units.get('000.00.00.H99') ?? null, codeNumber: 12, codeNotation: 'TB-UBND', issuedDate: day(-6), typeCode: 'TB',
    subject: 'Thông báo lịch tiếp công dân định kỳ của lãnh đạo tỉnh', fileIds: [f3],
  });
  await presentDocument(db, clerk.p, d3.id, { leaderId: leader.p.userId }, clerk.ctx);
  await assignDocument(db, leader.p, d3.id, { leadUserId: specialist.p.userId, coHandlerIds: [], forInfoIds: [], dueDate: day(2), instruction: 'Niêm yết công khai tại trụ sở và trên trang thông tin của xã.' }, leader.ctx);
  await completeAssignment(db, specialist.p, d3.id, { note: 'Đã niêm yết tại trụ sở và đăng trên trang thông tin điện tử của xã.' }, specialist.ctx);

  // 4. A secret document: metadata only.
  await incoming({
    issuer: 'Công an tỉnh Thái Hòa', codeNumber: 87, codeNotation: 'CAT-PV01', issuedDate: day(-2), typeCode: 'CV', secrecy: 'confidential',
    subject: 'Về công tác bảo đảm an ninh, trật tự dịp Tết Nguyên đán', fileIds: [],
  });

  // 5. An outgoing công văn to Phú Lộc: drafted, approved, issued; it waits in Phú Lộc's clerk queue.
  const f5 = await pdf(specialist, 'du-thao-phoi-hop-ngay-hoi.pdf', [
    'ỦY BAN NHÂN DÂN XÃ TÂN AN', 'V/v phối hợp tổ chức Ngày hội Đại đoàn kết toàn dân tộc',
    'Kính gửi: Ủy ban nhân dân xã Phú Lộc.', 'Ủy ban nhân dân xã Tân An đề nghị phối hợp tổ chức Ngày hội tại khu dân cư giáp ranh.',
  ]);
  const out1 = await createDraft(db, specialist.p, {
    typeCode: 'CV', subject: 'Về việc phối hợp tổ chức Ngày hội Đại đoàn kết toàn dân tộc tại khu dân cư giáp ranh',
    contentSummary: 'Đề nghị xã Phú Lộc cử cán bộ phối hợp chuẩn bị và tổ chức Ngày hội.', recipients: [{ kind: 'unit', unitId: units.get('000.02.31.H99')! }],
    signerUserId: leader.p.userId, fileId: f5,
  }, specialist.ctx, store);
  await submitForReview(db, specialist.p, out1.id, specialist.ctx);
  for (let i = 0; i < 3; i++) {
    const { final } = await approveStep(db, leader.p, out1.id, null, leader.ctx);
    if (final) break;
  }
  await issueDocument(db, clerk.p, out1.id, {}, clerk.ctx, store);

  // 6. A report drafted and waiting for the leader's approval.
  const f6 = await pdf(specialist, 'du-thao-bao-cao-chuyen-doi-so.pdf', ['ỦY BAN NHÂN DÂN XÃ TÂN AN', 'BÁO CÁO', 'Kết quả thực hiện chuyển đổi số năm 2026.']);
  const out2 = await createDraft(db, specialist.p, {
    typeCode: 'BC', subject: 'Báo cáo kết quả thực hiện chuyển đổi số năm 2026', recipients: [{ kind: 'unit', unitId: units.get('000.00.00.H99')! }],
    signerUserId: leader.p.userId, fileId: f6,
  }, specialist.ctx, store);
  await submitForReview(db, specialist.p, out2.id, specialist.ctx);

  // 7. At the province: a document from the ministry, just registered.
  const provClerk = await who('vanthu.tinh');
  const f7 = await pdf(provClerk, 'cong-van-bo-noi-vu.pdf', ['BỘ NỘI VỤ', 'V/v hướng dẫn đánh giá, xếp loại chất lượng cán bộ, công chức năm 2026.']);
  await registerIncoming(db, provClerk.p, {
    attachmentIds: [], issuer: 'Bộ Nội vụ', codeNumber: 5120, codeNotation: 'BNV-CCVC', issuedDate: day(-4), typeCode: 'CV', urgency: 'normal', secrecy: 'none', receivedVia: 'email',
    subject: 'Về việc hướng dẫn đánh giá, xếp loại chất lượng cán bộ, công chức năm 2026', fileIds: [f7],
  } as IncomingBody, provClerk.ctx, store);
  return true;
}
