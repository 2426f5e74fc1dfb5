import type { FieldError } from '../../core/errors/index.js';
import { type Html, html } from './html.js';
import { fieldErrors, invalid } from './layout.js';

/** Form controls with their label, hint and error messages wired for screen readers. */

type Common = { name: string; label: string; id?: string; hint?: string; errors?: FieldError[]; errorField?: string; required?: boolean };

const idOf = (c: Common) => c.id ?? `f-${c.name}`;

function described(c: Common): Html {
  const id = idOf(c);
  const errs = c.errors ?? [];
  const key = c.errorField ?? c.name;
  const hasErr = errs.some((e) => e.field === key || e.field.startsWith(`${key}.`));
  if (hasErr) return html` aria-invalid="true" aria-describedby="${id}-err${c.hint ? ` ${id}-hint` : ''}"`;
  return c.hint ? html` aria-describedby="${id}-hint"` : html``;
}

// The hint follows the label (announced through aria-describedby, not as part of the field's name).
const labelOf = (c: Common) => html`<label for="${idOf(c)}">${c.label}${c.required ? html` <span aria-hidden="true">*</span>` : ''}</label>${c.hint ? html`<span class="hint" id="${idOf(c)}-hint">${c.hint}</span>` : ''}`;

export function textInput(c: Common & { value?: string | null; type?: 'text' | 'email' | 'tel' | 'password' | 'search'; autocomplete?: string; inputmode?: string; maxlength?: number; pattern?: string; readonly?: boolean }): Html {
  const id = idOf(c);
  return html`${labelOf(c)}${fieldErrors(c.errors ?? [], c.errorField ?? c.name, id)}<input type="${c.type ?? 'text'}" id="${id}" name="${c.name}" value="${c.type === 'password' ? '' : c.value ?? ''}"${
    c.autocomplete ? html` autocomplete="${c.autocomplete}"` : ''}${c.inputmode ? html` inputmode="${c.inputmode}"` : ''}${c.maxlength ? html` maxlength="${c.maxlength}"` : ''}${
    c.pattern ? html` pattern="${c.pattern}"` : ''}${c.required ? html` required` : ''}${c.readonly ? html` readonly` : ''}${described(c)}>`;
}

export function textArea(c: Common & { value?: string | null; maxlength?: number }): Html {
  const id = idOf(c);
  return html`${labelOf(c)}${fieldErrors(c.errors ?? [], c.errorField ?? c.name, id)}<textarea id="${id}" name="${c.name}"${c.maxlength ? html` maxlength="${c.maxlength}"` : ''}${c.required ? html` required` : ''}${described(c)}>${c.value ?? ''}</textarea>`;
}

export function select(c: Common & { value?: string | null; options: { value: string; label: string }[]; placeholder?: string }): Html {
  const id = idOf(c);
  return html`${labelOf(c)}${fieldErrors(c.errors ?? [], c.errorField ?? c.name, id)}<select id="${id}" name="${c.name}"${c.required ? html` required` : ''}${described(c)}>${
    c.placeholder !== undefined ? html`<option value="">${c.placeholder}</option>` : ''}${c.options.map((o) => html`<option value="${o.value}"${o.value === (c.value ?? '') ? html` selected` : ''}>${o.label}</option>`)}</select>`;
}

/** A group of radio buttons in a fieldset with its legend. */
export function radios(c: Common & { value?: string | null; options: { value: string; label: string | Html }[] }): Html {
  const id = idOf(c);
  const errs = c.errors ?? [];
  const key = c.errorField ?? c.name;
  return html`<fieldset id="${id}"${invalid(errs, key, id)}><legend>${c.label}${c.required ? html` <span aria-hidden="true">*</span>` : ''}</legend>${c.hint ? html`<span class="hint">${c.hint}</span>` : ''}${fieldErrors(errs, key, id)}${c.options.map(
    (o, i) => html`<label class="opt" for="${id}-${i}"><input type="radio" id="${id}-${i}" name="${c.name}" value="${o.value}"${o.value === (c.value ?? '') ? html` checked` : ''}${c.required ? html` required` : ''}><span>${o.label}</span></label>`,
  )}</fieldset>`;
}

export function fileInput(c: Common & { multiple?: boolean }): Html {
  const id = idOf(c);
  return html`${labelOf(c)}${fieldErrors(c.errors ?? [], c.errorField ?? c.name, id)}<input type="file" id="${id}" name="${c.name}" accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"${c.multiple ? html` multiple` : ''}${described(c)}>`;
}

export const hidden = (name: string, value: string | null | undefined): Html => html`<input type="hidden" name="${name}" value="${value ?? ''}">`;
