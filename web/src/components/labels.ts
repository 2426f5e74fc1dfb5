import type { Kind, Level, Role } from '../api/types';
import { KINDS, LEVELS, ROLES } from '../api/types';
import type { Translate } from '../i18n';

export const roleLabel = (t: Translate, r: Role) => t(`role.${r}`);
export const levelLabel = (t: Translate, l: Level) => t(`level.${l}`);
export const kindLabel = (t: Translate, k: Kind) => t(`kind.${k}`);

export const roleOptions = (t: Translate) => ROLES.map((r) => ({ value: r, label: roleLabel(t, r) }));
export const levelOptions = (t: Translate) => LEVELS.map((l) => ({ value: l, label: levelLabel(t, l) }));
export const kindOptions = (t: Translate) => KINDS.map((k) => ({ value: k, label: kindLabel(t, k) }));

/** Mã định danh: dot-separated groups of 0-9/A-Z, at most 35 characters (e.g. 000.00.00.H99). */
export const AGENCY_CODE = /^[0-9A-Z]+(\.[0-9A-Z]+)*$/;
export const AGENCY_CODE_MAX = 35;
