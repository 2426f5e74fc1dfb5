import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can } from '../../core/access/index.js';
import { queryRows } from '../../core/db/index.js';
import { AppError } from '../../core/errors/index.js';
import { requireOfficial } from '../../core/http/context.js';
import { problems } from '../../core/http/schemas.js';
import { readableFile } from '../files/index.js';
import { readMultipart, recordSchema, requireFile, verificationReportSchema } from './api.js';
import { recordsForFiles, verifyPdf } from './verify.js';

// Verification: the public "Kiểm tra chữ ký số" endpoint and the check of a stored file.

const tags = ['Chữ ký số (signing)'];
const notPdf = () => new AppError(415, 'not-a-pdf', 'Tệp không phải PDF', 'Chỉ kiểm tra được chữ ký số trong tệp PDF.', [{ field: 'file', message: 'Chọn một tệp PDF' }]);

export const verificationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/api/signatures/verify', {
    schema: {
      tags,
      summary: 'Kiểm tra chữ ký số của một tệp PDF (công khai; multipart, trường `file`)',
      description:
        'Với mỗi chữ ký: người ký và chứng thư, chuỗi tin cậy đến chứng thư gốc của hệ thống, toàn vẹn vùng đã ký, phủ toàn bộ tệp hay có nội dung thêm sau (được phép hay không), thời điểm ký, dấu thời gian, mức PAdES; kết luận bằng tiếng Việt. Tệp không được lưu.',
      security: [],
      consumes: ['multipart/form-data'],
      response: { 200: verificationReportSchema, ...problems(400, 413, 415, 429) },
    },
    config: { rateLimit: { max: app.signing.verifyRateLimitPerMinute, timeWindow: '1 minute' } },
  }, async (req) => {
    const file = requireFile(await readMultipart(req));
    if (file.content.subarray(0, 1024).indexOf('%PDF-') < 0) throw notPdf();
    return verifyPdf(app.db, new Uint8Array(file.content.buffer, file.content.byteOffset, file.content.byteLength), app.clock.now());
  });

  app.get('/api/signatures/files/:fileId', {
    schema: {
      tags,
      summary: 'Kiểm tra chữ ký số của một tệp đã tải lên (người được xem tệp): kết quả hiện tại và các lần ký/kiểm tra đã ghi',
      params: z.object({ fileId: z.string().max(100) }),
      response: { 200: z.object({ fileId: z.string(), report: verificationReportSchema, records: z.array(recordSchema) }), ...problems(401, 404, 415) },
    },
  }, async (req) => {
    const p = requireOfficial(req);
    const f = await readableFile(app.db, p, req.params.fileId);
    if (f.contentType !== 'application/pdf') throw notPdf();
    const report = await verifyPdf(app.db, await app.fileStore.read(f.sha256), app.clock.now());
    const records = await recordsForFiles(app.db, [f.id]);
    const units = new Map(
      (await queryRows<{ id: string; path: string }>(app.db, sql`SELECT id, path FROM units WHERE id = ANY(${`{${[...new Set(records.map((r) => r.unitId))].join(',')}}`}::uuid[])`)).map((u) => [u.id, u.path]),
    );
    const visible = records.filter((r) => r.actorId === p.userId || can(p, 'unit.read', units.get(r.unitId)));
    return { fileId: f.id, report, records: visible.map(({ report: _r, placement: _p, unitId: _u, ...rest }) => rest) };
  });
};
