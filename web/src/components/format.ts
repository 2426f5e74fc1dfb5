const TZ = 'Asia/Ho_Chi_Minh';

function parts(value: string | Date, opts: Intl.DateTimeFormatOptions): Record<string, string> {
  const d = typeof value === 'string' ? new Date(value) : value;
  const out: Record<string, string> = {};
  for (const p of new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hourCycle: 'h23', ...opts }).formatToParts(d)) {
    out[p.type] = p.value;
  }
  return out;
}

/** dd/MM/yyyy in Vietnam time. */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '';
  // A calendar day (yyyy-MM-dd, e.g. a document date or a deadline) has no time zone to convert.
  const day = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (day) return `${day[3]}/${day[2]}/${day[1]}`;
  const p = parts(value, { day: '2-digit', month: '2-digit', year: 'numeric' });
  return `${p.day}/${p.month}/${p.year}`;
}

/** HH:mm in Vietnam time. */
export function formatTime(value: string | Date | null | undefined): string {
  if (!value) return '';
  const p = parts(value, { hour: '2-digit', minute: '2-digit' });
  return `${p.hour}:${p.minute}`;
}

/** HH:mm dd/MM/yyyy, the usual order on Vietnamese official screens. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return '';
  return `${formatTime(value)} ${formatDate(value)}`;
}

/** Start / end of a calendar day (yyyy-MM-dd) in Vietnam time, as ISO 8601 with offset. */
export function dayStart(isoDay: string): string {
  return `${isoDay}T00:00:00.000+07:00`;
}
export function dayEnd(isoDay: string): string {
  return `${isoDay}T23:59:59.999+07:00`;
}

/** Today's calendar day (yyyy-MM-dd) in Vietnam time. */
export function todayIso(now: Date = new Date()): string {
  const p = parts(now, { day: '2-digit', month: '2-digit', year: 'numeric' });
  return `${p.year}-${p.month}-${p.day}`;
}
