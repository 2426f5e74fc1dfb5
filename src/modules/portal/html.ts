/**
 * Server-side HTML for the public pages: a tagged template that escapes every interpolated value
 * unless it is already `Html` (another template's output, or `raw()` for trusted constants). Arrays
 * are joined; null, undefined and false render nothing. Text is NFC.
 *
 *   html`<p>${userText}</p>`                  → escaped
 *   html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`
 */

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Value = Html | string | number | null | undefined | false | Value[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v).normalize('NFC'));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Trusted markup (constants of this module only — never user input). */
export const raw = (s: string): Html => new Html(s);

/** Collapses the indentation of templates (smaller pages; <pre>/<textarea> content is never indented here). */
export const minify = (s: string): string => s.replace(/\n\s+/g, '\n');

// Dates and times as Vietnamese readers expect them: dd/MM/yyyy and HH:mm in Asia/Ho_Chi_Minh.
const DAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' });
const TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

const toDate = (v: Date | string | null | undefined): Date | null => (v == null || v === '' ? null : new Date(v));

/** dd/MM/yyyy (empty for none). */
export function formatDate(v: Date | string | null | undefined): string {
  const d = toDate(v);
  return d ? DAY.format(d) : '';
}

/** HH:mm dd/MM/yyyy (empty for none). */
export function formatDateTime(v: Date | string | null | undefined): string {
  const d = toDate(v);
  return d ? `${TIME.format(d)} ${DAY.format(d)}` : '';
}

/** The machine-readable value for <time datetime>. */
export const isoOf = (v: Date | string | null | undefined): string => toDate(v)?.toISOString() ?? '';

/** <time> element showing HH:mm dd/MM/yyyy (or only the date). */
export const time = (v: Date | string | null | undefined, withTime = true): Html =>
  v ? html`<time datetime="${isoOf(v)}">${withTime ? formatDateTime(v) : formatDate(v)}</time>` : html`—`;

/** "1.234.567" (Vietnamese thousands separator). */
export const formatNumber = (n: number): string => Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
