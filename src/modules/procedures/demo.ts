import { sql } from 'drizzle-orm';
import type { ActorContext } from '../../core/audit/index.js';
import { type Database, queryRows } from '../../core/db/index.js';
import type { FileStore } from '../../core/files/index.js';
import { renderTextPagePdf } from '../../core/pdf/index.js';
import { loadPrincipal } from '../directory/index.js';
import { storeFile } from '../files/index.js';
import { catalogueSchema, importCatalogue } from './catalogue.js';
import { DEMO_FORMS, type DemoFormKey, demoCatalogue } from './demo-data.js';

/** A simple form template: national motto, title, one dotted line per field, signature block. */
export async function renderFormPdf(title: string, fields: readonly string[]): Promise<Buffer> {
  return renderTextPagePdf({
    title,
    lines: [
      { text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', bold: true, align: 'center', size: 13 },
      { text: 'Độc lập - Tự do - Hạnh phúc', bold: true, align: 'center', size: 13 },
      { text: ' ', size: 10 },
      { text: title, bold: true, align: 'center', size: 14 },
      { text: 'Kính gửi: Ủy ban nhân dân ……………………………………', align: 'center', size: 12 },
      { text: ' ', size: 10 },
      ...fields.map((f) => ({ text: `${f}: ……………………………………………………………………`, size: 12 })),
      { text: ' ', size: 10 },
      { text: 'Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước pháp luật về cam đoan của mình.', size: 12 },
      { text: '……………, ngày …… tháng …… năm ……', align: 'right', size: 12 },
      { text: 'Người yêu cầu (ký, ghi rõ họ, chữ đệm, tên)', bold: true, align: 'right', size: 12 },
      { text: ' ', size: 10 },
      { text: 'Mẫu minh họa của bộ dữ liệu mẫu LienThong — dùng mẫu ban hành kèm văn bản pháp luật hiện hành khi triển khai thật.', size: 9 },
    ],
  });
}

/**
 * The demo catalogue on first start (and `seed-demo`): five common commune procedures and one two-level
 * procedure, with PDF form templates, loaded through the catalogue import by the demo system admin.
 * Idempotent: does nothing when any procedure exists or the demo province is missing.
 */
export async function seedDemoProcedures(database: Database, store: FileStore, now: Date): Promise<boolean> {
  const db = database.db;
  const [{ n }] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM procedures`);
  if (n > 0) return false;
  const units = new Map((await queryRows<{ id: string; agency_code: string }>(db, sql`SELECT id, agency_code FROM units WHERE agency_code IN ('000.00.00.H99', '000.00.03.H99')`)).map((u) => [u.agency_code, u.id]));
  const [admin] = await queryRows<{ id: string }>(db, sql`SELECT id FROM users WHERE username = 'admin'`);
  const provinceId = units.get('000.00.00.H99');
  const justiceId = units.get('000.00.03.H99');
  if (!provinceId || !justiceId || !admin) return false; // not the demo province
  const p = await loadPrincipal(database, admin.id);
  if (!p) return false;
  const ctx: ActorContext = { actorId: p.userId, actorName: p.fullName, unitId: p.unitId, requestId: null, ip: null, now };
  const forms = {} as Record<DemoFormKey, string>;
  for (const key of Object.keys(DEMO_FORMS) as DemoFormKey[]) {
    const f = DEMO_FORMS[key];
    forms[key] = (await storeFile(db, store, p, { content: await renderFormPdf(f.title, f.fields), name: f.name }, ctx)).id;
  }
  await importCatalogue(db, p, catalogueSchema.parse(demoCatalogue({ provinceId, justiceId, forms })), ctx);
  return true;
}
