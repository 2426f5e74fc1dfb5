import { v7 as uuidv7, validate } from 'uuid';

/** Ids are UUID v7: unique without coordination and sortable by creation time. */
export const newId = (): string => uuidv7();

export const isUuid = (s: string): boolean => validate(s);
