import { validationFailed } from '../../core/errors/index.js';
import { isUuid } from '../../core/ids/index.js';

/** Keyset pagination cursors of document lists: the last row's time and id (and, in the inbox, its urgency). */

export type DateCursor = { k: 'd'; t: string; i: string };
export type InboxCursor = { k: 'a'; u: boolean; t: string; i: string };

export function encodeCursor(c: DateCursor | InboxCursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

const badCursor = () => validationFailed([{ field: 'query.cursor', message: 'Con trỏ phân trang không hợp lệ (hãy tải lại danh sách).' }]);

/** A timestamptz as PostgreSQL prints it (`2026-01-05 10:00:00.123456+07`), with a date that exists. */
const TIMESTAMP_TEXT = /^(\d{4}-\d{2}-\d{2}) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;
function isTimestampText(s: string): boolean {
  const m = TIMESTAMP_TEXT.exec(s);
  if (!m) return false;
  const day = new Date(`${m[1]}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === m[1];
}

export function decodeCursor(s: string, kind: 'd' | 'a'): DateCursor | InboxCursor {
  let c: { k?: unknown; t?: unknown; i?: unknown; u?: unknown } | null;
  try {
    c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as typeof c;
  } catch {
    throw badCursor();
  }
  if (!c || c.k !== kind || typeof c.t !== 'string' || !isTimestampText(c.t) || typeof c.i !== 'string' || !isUuid(c.i)) throw badCursor();
  if (kind === 'a' && typeof c.u !== 'boolean') throw badCursor();
  return c as DateCursor | InboxCursor;
}
