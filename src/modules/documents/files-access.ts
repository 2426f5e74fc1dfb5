import { sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import type { FileRow } from '../files/index.js';
import { canRead, findDocument } from './visibility.js';

/** A file attached to a document may be read by whoever may read that document. */
export async function documentFileAccess(db: Db, p: Principal, file: FileRow): Promise<boolean> {
  if (p.kind !== 'official') return false;
  const rows = await queryRows<{ document_id: string }>(db, sql`SELECT DISTINCT document_id FROM document_files WHERE file_id = ${file.id} LIMIT 20`);
  for (const r of rows) {
    const d = await findDocument(db, r.document_id);
    if (d && (await canRead(db, p, d))) return true;
  }
  return false;
}
