import type { Principal } from '../../core/access/index.js';
import type { ActorContext } from '../../core/audit/index.js';
import type { WorkingCalendar } from '../../core/calendar/index.js';
import type { Db } from '../../core/db/index.js';
import type { FileStore } from '../../core/files/index.js';
import type { ProcedureVersion } from '../procedures/index.js';
import type { FileGroup } from './files.js';
import type { DossierRow, LogEntry } from './log.js';
import type { ChecklistInput } from './reception.js';
import type { PreparedSeal, SealRequest } from './result-seal.js';
import type { ReturnMethod, StatusCode } from './status.js';
import type { DossierAction, Transition } from './transitions.js';

/** What an action handler gets and returns (the dispatcher, actions.ts, does the rest). */

export type ActionInput = {
  reason?: string | null;
  note?: string | null;
  toUserId?: string | null;
  toUnitId?: string | null;
  items?: string[];
  deadline?: string | null;
  newDueAt?: string | null;
  fileIds?: string[];
  documents?: ChecklistInput[];
  method?: ReturnMethod | null;
  /** complete: seal the result with the deciding agency's credential (result-seal.ts). */
  seal?: SealRequest | null;
  /** Set by the dispatcher, never by clients: the seal checked and unlocked before the transaction. */
  sealing?: PreparedSeal | null;
  feeAmount?: number | null;
};

export type HandlerArgs = { tx: Db; store: FileStore; p: Principal; d: DossierRow; v: ProcedureVersion; cal: WorkingCalendar; input: ActionInput; ctx: ActorContext; to: StatusCode; t: Transition };
export type HandlerResult = {
  set?: Partial<DossierRow>;
  log?: Partial<Omit<LogEntry, 'action' | 'fromStatus' | 'toStatus' | 'actorKind'>>;
  files?: FileGroup[];
  units?: { unitId: string; part: 'processing' | 'deciding' }[];
};
export type Handler = (a: HandlerArgs) => Promise<HandlerResult>;
export type Handlers = Partial<Record<DossierAction, Handler>>;

/** Closes an open pause (waiting for a supplement) at `now`; returns the new pause list. */
export function closePause(d: DossierRow, now: Date): Pick<DossierRow, 'pauses' | 'pausedAt'> {
  const pauses = (d.pauses ?? []).map((x) => (x.to === null ? { ...x, to: now.toISOString() } : x));
  return { pauses, pausedAt: null };
}

/** What every final state clears: the holder and the step clock, an open pause. */
export function closing(d: DossierRow, now: Date): Partial<DossierRow> {
  return { ...closePause(d, now), closedAt: now, holderUserId: null, holderUnitId: null, holderRole: null, stepDueAt: null };
}
