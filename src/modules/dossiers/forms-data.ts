import { notFound } from '../../core/errors/index.js';
import type { Db } from '../../core/db/index.js';
import { type Duration, durationLabel, procedureVersionById } from '../procedures/index.js';
import { type FormInput, FORM_TITLES, type StepOutcome } from './forms.js';
import { renderFormPdf } from './forms-pdf.js';
import { formSpec } from './forms.js';
import type { DossierRow } from './log.js';
import { unitInfo } from './policy.js';
import { checklistOf, filesOf, historyOf, type HistoryEntry } from './read.js';
import type { Applicant } from './schema.js';
import { CHANNEL_LABELS } from './status.js';
import type { FormNumber } from './transitions.js';

/** Gathers what a form prints from the dossier, its history and its procedure version, and renders it. */

/** The public lookup address printed (and encoded in the QR code) on every form. */
export const lookupUrl = (base: string, code: string | null) => `${base.replace(/\/+$/, '')}/tra-cuu/${encodeURIComponent(code ?? '')}`;

const dateOf = (s: unknown): Date | null => (typeof s === 'string' ? new Date(s) : null);

function copiesLabel(originals: number, copies: number): { form: string; copies: number } {
  const parts = [originals ? `${originals} bản chính` : null, copies ? `${copies} bản sao` : null].filter(Boolean);
  return { form: parts.join(', ') || 'Bản điện tử', copies: originals + copies };
}

/** Form 06: each hand-over with who gave, who took, when, and how the giver's step went against its due time. */
function handovers(history: HistoryEntry[]) {
  const out: NonNullable<FormInput['handovers']> = [];
  for (const h of history) {
    if (!['receive', 'accept', 'forward', 'transfer', 'approve', 'complete', 'return'].includes(h.action)) continue;
    const to = h.action === 'return' ? 'Người nộp hồ sơ' : [h.toUserName, h.toUnitName].filter(Boolean).join(' – ') || h.unitName;
    out.push({
      at: new Date(h.at),
      from: h.action === 'receive' || h.action === 'accept' ? 'Người nộp hồ sơ' : `${h.actorName ?? 'Hệ thống'} (${h.unitName})`,
      to,
      stepName: h.stepName ? `${h.label}: ${h.stepName}` : h.label,
      dueAt: h.stepDueAt ? new Date(h.stepDueAt) : null,
      outcome: (h.stepOutcome as StepOutcome | null) ?? null,
      note: h.action === 'transfer' ? 'Chuyển liên thông' : null,
    });
  }
  return out;
}

export async function formInput(db: Db, d: DossierRow, number: FormNumber, actionId: string | null, base: string): Promise<{ input: FormInput; at: Date }> {
  const [v, history, files, unit] = await Promise.all([procedureVersionById(db, d.procedureVersionId), historyOf(db, d.id), filesOf(db, d.id), unitInfo(db, d.unitId)]);
  const version = v!;
  const caseRec = d.caseKey ? version.record.cases.find((c) => c.key === d.caseKey) : undefined;
  const received = history.find((h) => h.action === 'receive' || h.action === 'accept');
  let issued: HistoryEntry | undefined;
  if (['02', '03', '04', '05'].includes(number)) {
    issued = actionId ? history.find((h) => h.id === actionId && h.formNumber === number) : [...history].reverse().find((h) => h.formNumber === number);
    if (!issued) throw notFound(`Mẫu ${number} của hồ sơ`);
  } else if (!d.code || !d.receivedAt) {
    throw notFound(`Mẫu ${number} (hồ sơ chưa được tiếp nhận)`);
  }
  const checklist = checklistOf(version, d, files, history).filter((c) => c.provided);
  const others = files.some((f) => f.kind === 'document' && f.documentIndex === null);
  const documents = [
    ...checklist.map((c) => ({ name: c.name, ...copiesLabel(c.originals, c.copies) })),
    ...(others ? [{ name: 'Giấy tờ khác kèm theo', form: 'Bản điện tử', copies: 1 }] : []),
  ];
  const detail = issued?.detail ?? {};
  const input: FormInput = {
    code: d.code,
    lookupUrl: lookupUrl(base, d.code),
    unit: { name: unit?.name ?? '', parentName: unit?.parentName ?? null },
    procedure: { code: version.code, name: version.name, caseName: caseRec?.name ?? null, timeLimitLabel: d.timeLimit ? durationLabel(d.timeLimit as Duration) : '' },
    applicant: d.applicant as Applicant,
    channelLabel: CHANNEL_LABELS[d.channel],
    receivedAt: d.receivedAt,
    firstDueAt: d.firstDueAt,
    dueAt: d.dueAt,
    feeLabel: d.feeLabel,
    returnMethod: d.returnMethod,
    receiverName: received?.actorName ?? null,
    documents,
    issued: issued && {
      at: new Date(issued.at),
      actorName: issued.actorName,
      reason: issued.reason,
      items: (detail.items as string[] | undefined) ?? [],
      deadline: dateOf(detail.deadline),
      newDueAt: dateOf(detail.newDueAt),
      previousDueAt: dateOf(detail.previousDueAt),
    },
    handovers: number === '06' ? handovers(history) : undefined,
  };
  const at = issued ? new Date(issued.at) : number === '01' ? d.receivedAt! : new Date(d.updatedAt);
  return { input, at };
}

export async function renderDossierForm(db: Db, d: DossierRow, number: FormNumber, actionId: string | null, base: string): Promise<Buffer> {
  const { input, at } = await formInput(db, d, number, actionId, base);
  return renderFormPdf(formSpec(number, input, at));
}

/** `Mau-01_000.01.31.H99-260312-0042.pdf` */
export function formFileName(number: FormNumber, code: string | null): string {
  return `Mau-${number}_${(code ?? 'ho-so').replace(/[^0-9A-Za-z.-]/g, '-')}.pdf`;
}

export { FORM_TITLES };
