import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import type { ActorContext } from '../../core/audit/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import { AppError } from '../../core/errors/index.js';
import { demoCaCertificate, initDemoCa, issueDemoCredential } from './authority.js';
import { certificateInfo, toPem } from './certificates.js';
import { DEMO_SIGNING_PIN } from './demo.js';
import type { SigningRuntime } from './runtime.js';

export const CA_USAGE = `lienthong ca <command>   (tổ chức chứng thực mẫu — chỉ cho dữ liệu mẫu, đào tạo, kiểm thử)
  ca init                          tạo CA mẫu và đưa chứng thư gốc vào danh sách tin cậy
  ca issue --user <username>       cấp chứng thư cho cán bộ (khoá lưu trên máy chủ, mã hoá bằng SIGNING_KEY)
  ca issue --unit <mã định danh>   cấp chứng thư cho cơ quan (con dấu điện tử)
  ca export-root [file]            ghi chứng thư gốc (PEM) ra tệp hoặc màn hình
  PIN của khoá mới: biến môi trường LIENTHONG_SIGNING_PIN (mặc định ${DEMO_SIGNING_PIN})`;

export class CliUsageError extends Error {}

const systemCtx = (): ActorContext => ({ actorId: null, actorName: 'Dòng lệnh (lienthong ca)', unitId: null, requestId: null, ip: null, now: new Date() });

/** `lienthong ca …`; returns the exit status. Output lines are for people, in Vietnamese. */
export async function runCaCommand(db: Db, rt: SigningRuntime, argv: string[], out: (line: string) => void = console.log): Promise<number> {
  const [sub, ...rest] = argv;
  const flag = (name: string) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  switch (sub) {
    case 'init': {
      const r = await initDemoCa(db, rt, systemCtx());
      const info = certificateInfo(r.certificate);
      out(`${r.created ? 'Đã tạo CA mẫu' : 'CA mẫu đã có'}: ${info.subject}`);
      out(`  SHA-256: ${info.fingerprint}`);
      out(`  Hiệu lực đến: ${info.notAfter.toISOString().slice(0, 10)}`);
      return 0;
    }
    case 'issue': {
      const pin = process.env.LIENTHONG_SIGNING_PIN || DEMO_SIGNING_PIN;
      if (pin.length < 4) throw new CliUsageError('LIENTHONG_SIGNING_PIN phải có ít nhất 4 ký tự.');
      const username = flag('user');
      const code = flag('unit');
      if (!username === !code) throw new CliUsageError(`Cần đúng một trong --user <username> hoặc --unit <mã định danh>.\n${CA_USAGE}`);
      const [target] = username
        ? await queryRows<{ id: string }>(db, sql`SELECT u.id FROM users u JOIN officials o ON o.user_id = u.id WHERE u.username = ${username}`)
        : await queryRows<{ id: string }>(db, sql`SELECT id FROM units WHERE agency_code = ${code!.toUpperCase()}`);
      if (!target) throw new CliUsageError(username ? `Không có cán bộ "${username}".` : `Không có đơn vị mã "${code}".`);
      try {
        const c = await issueDemoCredential(db, rt, null, username ? { owner: 'official', userId: target.id } : { owner: 'unit', unitId: target.id }, { pin }, systemCtx());
        out(`Đã cấp chứng thư: ${c.subject}`);
        out(`  Số hiệu: ${c.serialNumber}; hiệu lực đến ${c.notAfter.toISOString().slice(0, 10)}; mã PIN: ${process.env.LIENTHONG_SIGNING_PIN ? '(theo LIENTHONG_SIGNING_PIN)' : DEMO_SIGNING_PIN}`);
      } catch (err) {
        if (err instanceof AppError) throw new CliUsageError(`${err.title}: ${err.detail ?? ''}`);
        throw err;
      }
      return 0;
    }
    case 'export-root': {
      const der = await demoCaCertificate(db);
      if (!der) throw new CliUsageError('Chưa có CA mẫu: chạy "lienthong ca init" trước.');
      if (rest[0]) {
        fs.writeFileSync(rest[0], toPem(der));
        out(`Đã ghi chứng thư gốc vào ${rest[0]}`);
      } else out(toPem(der).trimEnd());
      return 0;
    }
    default:
      out(CA_USAGE);
      return 2;
  }
}
