import type { Principal } from '../../core/access/index.js';
import type { Db } from '../../core/db/index.js';
import type { DocumentDetail } from './api.js';
import type { DocumentRow } from './visibility.js';

// Incoming documents (văn bản đến): registration, presenting, assignment and handling.
// TO BE IMPLEMENTED (helper "incoming").

/** Actions the caller may take now on an incoming document (buttons in the web app). */
export async function assignmentActions(_db: Db, _p: Principal, _doc: DocumentRow, _detail: DocumentDetail): Promise<string[]> {
  return [];
}
