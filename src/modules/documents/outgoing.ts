import type { Principal } from '../../core/access/index.js';
import type { Db } from '../../core/db/index.js';
import type { DocumentDetail } from './api.js';
import type { DocumentRow } from './visibility.js';

// Outgoing documents (văn bản đi): drafting, review, issuance, sending, recall.
// TO BE IMPLEMENTED (helper "outgoing").

/** Actions the caller may take now on an outgoing document (buttons in the web app). */
export async function outgoingActions(_db: Db, _p: Principal, _doc: DocumentRow, _detail: DocumentDetail): Promise<string[]> {
  return [];
}
