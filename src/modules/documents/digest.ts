import { isNotNull, sql } from 'drizzle-orm';
import { calendarAdjustments, loadCalendar } from '../../core/calendar/index.js';
import type { Clock } from '../../core/clock/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import { enqueue } from '../../core/outbox/index.js';
import { getSetting } from '../../core/settings/index.js';
import { DEFAULT_NEAR_DUE_DAYS, DIGEST_KEY, nearDueUntilFor } from './deadlines.js';
import { numberSymbolOf } from './detail.js';
import { localDate } from './numbering.js';
import { formatDate } from './symbols.js';

/**
 * The daily deadline digest (nhắc hạn xử lý): once a day, at a configurable local time, every handler
 * with open items that are overdue or due within `nearDueDays` working days (of the calendar of the handler's
 * unit, as the inbox counts them) gets one e-mail listing them. Items are
 * the inbox items of the contract: personal assignments, and unit-addressed ones for the unit's
 * leaders, deputy leaders and clerks. Mail goes through the outbox with the dedupe key
 * `digest:<userId>:<yyyy-MM-dd>`, so several server processes (or a restart) send it once a day.
 * Secret documents (Mật and above) never have their subject in a mail: e-mail is a networked system.
 */

export { DIGEST_KEY };
export type DigestSettings = { enabled: boolean; time: string; nearDueDays: number };
export const DEFAULT_DIGEST: DigestSettings = { enabled: true, time: '07:00', nearDueDays: DEFAULT_NEAR_DUE_DAYS };

export async function digestSettings(db: Db): Promise<DigestSettings> {
  return { ...DEFAULT_DIGEST, ...(await getSetting<Partial<DigestSettings>>(db, DIGEST_KEY, {})) };
}

/** At most this many items are listed in one mail; the rest are counted. */
export const MAX_DIGEST_ITEMS = 50;

/** `workingDaysLeft`: working days of the handler's unit calendar after today up to the due date (when known). */
export type DigestItem = { numberSymbol: string | null; subject: string; dueDate: string; secret: boolean; workingDaysLeft?: number };
export type DigestResult = { queued: number; alreadyQueued: number; skippedNoEmail: number; recipients: number };

type Row = {
  user_id: string;
  full_name: string;
  email: string | null;
  unit_id: string | null;
  code_number: number | null;
  code_notation: string | null;
  subject: string;
  secrecy: string;
  due_date: string;
};

const dayNumber = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
const nextDay = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The subject and text of one person's digest (Vietnamese, dates dd/MM/yyyy). */
export function digestMail(fullName: string, items: DigestItem[], today: string): { subject: string; text: string } {
  const overdue = items.filter((i) => i.dueDate < today);
  const near = items.filter((i) => i.dueDate >= today);
  const parts = [overdue.length ? `${overdue.length} văn bản quá hạn` : '', near.length ? `${near.length} văn bản sắp đến hạn` : ''].filter(Boolean);
  const subject = `[LienThong] Nhắc hạn xử lý văn bản ngày ${formatDate(today)}: ${parts.join(', ')}`;
  let listed = 0;
  const line = (i: DigestItem) => {
    const left = dayNumber(i.dueDate) - dayNumber(today);
    const wd = i.workingDaysLeft;
    // Calendar days, and the working days among them when a weekend or a holiday falls in between.
    const remaining = wd === undefined || wd >= left ? `còn ${left} ngày` : wd === 0 ? `còn ${left} ngày, không còn ngày làm việc nào` : `còn ${left} ngày, trong đó ${wd} ngày làm việc`;
    const when = left < 0 ? `quá hạn ${-left} ngày` : left === 0 ? 'đến hạn hôm nay' : remaining;
    const title = i.secret ? 'Văn bản mật (xem nội dung trên hệ thống)' : i.subject;
    return `- ${i.numberSymbol ?? '(không số)'} — ${title} — hạn xử lý ${formatDate(i.dueDate)} (${when})`;
  };
  const section = (heading: string, xs: DigestItem[]) => {
    if (!xs.length) return [];
    const shown = xs.slice(0, Math.max(0, MAX_DIGEST_ITEMS - listed));
    listed += shown.length;
    const more = xs.length - shown.length;
    return ['', `${heading} (${xs.length}):`, ...shown.map(line), ...(more > 0 ? [`… và ${more} văn bản khác.`] : [])];
  };
  const text = [
    `Kính gửi Ông/Bà ${fullName},`,
    '',
    `Tính đến ngày ${formatDate(today)}, Ông/Bà có các văn bản cần xử lý sau:`,
    ...section('Văn bản quá hạn xử lý', overdue),
    ...section('Văn bản sắp đến hạn xử lý', near),
    '',
    'Vui lòng đăng nhập hệ thống LienThong để xử lý văn bản.',
    'Thư này được gửi tự động, vui lòng không trả lời.',
  ].join('\n');
  return { subject, text };
}

/** Queues today's digest for every handler with overdue or near-due items. */
export async function runDigest(db: Db, now: Date, settings?: DigestSettings): Promise<DigestResult> {
  const s = settings ?? (await digestSettings(db));
  const today = localDate(now);
  // Near due ends on the nearDueDays-th working day of each handler's unit calendar. The query reads up to the latest
  // of those ends (the deployment's calendar, or a unit's with its own days off: no other calendar can end later),
  // then each handler's items are cut at their own unit's end.
  const ends = new Map<string, Promise<string>>();
  const endFor = (unitId: string | null) => {
    if (!ends.has(unitId ?? '')) ends.set(unitId ?? '', nearDueUntilFor(db, unitId, now, s.nearDueDays));
    return ends.get(unitId ?? '')!;
  };
  const ownCalendars = await db.selectDistinct({ unitId: calendarAdjustments.unitId }).from(calendarAdjustments).where(isNotNull(calendarAdjustments.unitId));
  const until = (await Promise.all([endFor(null), ...ownCalendars.map((c) => endFor(c.unitId))])).sort().at(-1)!;
  const open = sql`a.status IN ('pending', 'in_progress') AND a.due_date IS NOT NULL AND a.due_date <= ${until}::date`;
  const rows = await queryRows<Row>(
    db,
    sql`WITH items AS (
          SELECT a.id, a.assignee_user_id AS user_id, a.document_id, a.due_date FROM assignments a
           WHERE ${open} AND a.assignee_user_id IS NOT NULL
          UNION
          SELECT a.id, ra.user_id, a.document_id, a.due_date FROM assignments a
            JOIN role_assignments ra ON ra.unit_id = a.assignee_unit_id AND ra.role IN ('leader', 'deputy_leader', 'clerk')
           WHERE ${open} AND a.assignee_unit_id IS NOT NULL)
        SELECT i.user_id, u.full_name, u.email, o.unit_id, d.code_number, d.code_notation, d.subject, d.secrecy, i.due_date
          FROM items i JOIN users u ON u.id = i.user_id AND u.active JOIN documents d ON d.id = i.document_id
          LEFT JOIN officials o ON o.user_id = i.user_id
         WHERE d.status <> 'recalled'
         ORDER BY i.user_id, i.due_date, d.code_number NULLS LAST, d.subject`,
  );
  const grouped = new Map<string, Row[]>();
  for (const r of rows) grouped.set(r.user_id, [...(grouped.get(r.user_id) ?? []), r]);
  const byUser = new Map<string, Row[]>();
  for (const [userId, all] of grouped) {
    const end = await endFor(all[0].unit_id);
    const mine = all.filter((r) => r.due_date <= end);
    if (mine.length) byUser.set(userId, mine);
  }
  const result: DigestResult = { queued: 0, alreadyQueued: 0, skippedNoEmail: 0, recipients: byUser.size };
  for (const [userId, items] of byUser) {
    const first = items[0];
    const to = first.email?.trim();
    if (!to) {
      result.skippedNoEmail++;
      continue;
    }
    const calendar = await loadCalendar(db, first.unit_id);
    const workingDaysLeft = (due: string) => {
      let n = 0;
      for (let day = nextDay(today); day <= due; day = nextDay(day)) if (calendar.isWorkingDay(day)) n++;
      return n;
    };
    const mail = digestMail(
      first.full_name,
      items.map((r) => ({
        numberSymbol: numberSymbolOf({ codeNumber: r.code_number, codeNotation: r.code_notation }),
        subject: r.subject,
        dueDate: r.due_date,
        secret: r.secrecy !== 'none',
        ...(r.due_date > today ? { workingDaysLeft: workingDaysLeft(r.due_date) } : {}),
      })),
      today,
    );
    const id = await enqueue(db, { kind: 'mail', payload: { to, subject: mail.subject, text: mail.text }, unitId: first.unit_id, dedupeKey: `digest:${userId}:${today}` }, now);
    if (id) result.queued++;
    else result.alreadyQueued++;
  }
  return result;
}

export type DigestLogger = { info(obj: object, msg: string): void; error(obj: object, msg: string): void };

/** Local time of day HH:mm in Asia/Ho_Chi_Minh (UTC+7). */
export const localTime = (at: Date): string => new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(11, 16);

/**
 * Checks every minute whether today's digest time (local) has passed and, once per day and process,
 * runs the digest; the outbox dedupe key keeps other processes from sending it again. A failed run is
 * retried at the next check. `tick` runs one check now (tests, and the first check at start).
 */
export function startDigestScheduler(opts: { db: Db; clock: Clock; logger?: DigestLogger; intervalMs?: number }): { stop(): void; tick(): Promise<DigestResult | null> } {
  const { db, clock } = opts;
  let lastRun: string | null = null;
  let running: Promise<DigestResult | null> | null = null;
  const check = async (): Promise<DigestResult | null> => {
    const now = clock.now();
    const s = await digestSettings(db);
    const today = localDate(now);
    if (!s.enabled || lastRun === today || localTime(now) < s.time) return null;
    const result = await runDigest(db, now, s);
    lastRun = today;
    opts.logger?.info({ ...result, date: today }, 'deadline digest queued');
    return result;
  };
  const tick = () => {
    running ??= check().finally(() => {
      running = null;
    });
    return running;
  };
  const run = () =>
    void tick().catch((err: unknown) => opts.logger?.error({ err: err instanceof Error ? err.message : String(err) }, 'deadline digest failed; retrying at the next check'));
  const first = setTimeout(run, 5_000);
  const timer = setInterval(run, opts.intervalMs ?? 60_000);
  first.unref();
  timer.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
    tick,
  };
}
