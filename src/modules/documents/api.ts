import { z } from 'zod';
import { ASSIGNMENT_ROLES, ASSIGNMENT_STATUSES, DOCUMENT_STATUSES, RECIPIENT_STATUSES, SECRECIES, URGENCIES } from './schema.js';

/** Shared JSON shapes of the documents API (used by every documents route, and so by the OpenAPI document). */

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày phải có dạng yyyy-MM-dd');
const ts = z.string().describe('ISO 8601 date-time');

export const deadlineStateSchema = z.enum(['none', 'on_track', 'near_due', 'overdue', 'done_on_time', 'done_late']);

export const documentSummarySchema = z.object({
  id: z.string(),
  unitId: z.string(),
  direction: z.enum(['incoming', 'outgoing']),
  status: z.enum(DOCUMENT_STATUSES),
  typeCode: z.string(),
  typeName: z.string(),
  subject: z.string(),
  codeNumber: z.number().int().nullable(),
  codeNotation: z.string().nullable(),
  numberSymbol: z.string().nullable().describe('Số, ký hiệu, e.g. 15/QĐ-UBND'),
  issuedDate: z.string().nullable(),
  issuerName: z.string(),
  signerName: z.string().nullable(),
  urgency: z.enum(URGENCIES),
  secrecy: z.enum(SECRECIES),
  dueDate: z.string().nullable(),
  arrivalNumber: z.number().int().nullable(),
  arrivalAt: ts.nullable(),
  createdAt: ts,
  deadlineState: deadlineStateSchema,
  read: z.boolean(),
  /** In an inbox: the caller's own assignment on it. */
  myAssignment: z
    .object({ id: z.string(), role: z.enum(ASSIGNMENT_ROLES), status: z.enum(ASSIGNMENT_STATUSES), dueDate: z.string().nullable(), deadlineState: deadlineStateSchema })
    .nullable()
    .optional(),
  rank: z.number().optional().describe('Relevance, when searching'),
});

export const documentFileSchema = z.object({
  id: z.string(),
  fileId: z.string(),
  name: z.string(),
  size: z.number(),
  contentType: z.string(),
  sha256: z.string(),
  role: z.enum(['main', 'attachment', 'draft', 'draft_source', 'signed']),
  version: z.number().int(),
  note: z.string().nullable(),
  createdAt: ts,
});

export const assignmentSchema = z.object({
  id: z.string(),
  role: z.enum(ASSIGNMENT_ROLES),
  status: z.enum(ASSIGNMENT_STATUSES),
  assigneeUserId: z.string().nullable(),
  assigneeUserName: z.string().nullable(),
  assigneeUnitId: z.string().nullable(),
  assigneeUnitName: z.string().nullable(),
  dueDate: z.string().nullable(),
  deadlineState: deadlineStateSchema,
  instruction: z.string().nullable(),
  assignedBy: z.string(),
  assignedByName: z.string().nullable(),
  assignedAt: ts,
  parentId: z.string().nullable(),
  progressNote: z.string().nullable(),
  progressPercent: z.number().int().nullable(),
  completedAt: ts.nullable(),
  resultNote: z.string().nullable(),
  replyDocumentId: z.string().nullable(),
  returnReason: z.string().nullable(),
});

export const timelineEntrySchema = z.object({
  id: z.string(),
  at: ts,
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  text: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});

export const reviewSchema = z.object({
  id: z.string(),
  round: z.number().int(),
  step: z.number().int(),
  kind: z.enum(['initial', 'approve']),
  reviewerUserId: z.string(),
  reviewerName: z.string().nullable(),
  status: z.enum(['waiting', 'pending', 'approved', 'returned', 'cancelled']),
  reason: z.string().nullable(),
  decidedAt: ts.nullable(),
});

export const recipientSchema = z.object({
  id: z.string(),
  kind: z.enum(['unit', 'external', 'email']),
  unitId: z.string().nullable(),
  agencyCode: z.string().nullable(),
  name: z.string(),
  email: z.string().nullable(),
  status: z.enum(RECIPIENT_STATUSES),
  reason: z.string().nullable(),
  incomingDocumentId: z.string().nullable(),
  updatedAt: ts,
});

export const documentDetailSchema = documentSummarySchema.extend({
  unitName: z.string(),
  contentSummary: z.string().nullable(),
  issuedAt: ts.nullable(),
  place: z.string().nullable(),
  dateLine: z.string().nullable().describe('Địa danh, ngày … tháng … năm …'),
  issuerUnitId: z.string().nullable(),
  issuerCode: z.string().nullable(),
  signerPosition: z.string().nullable(),
  signerUserId: z.string().nullable(),
  pageCount: z.number().int().nullable(),
  legalNormative: z.boolean(),
  bookId: z.string().nullable(),
  receivedVia: z.string().nullable(),
  presentedTo: z.string().nullable(),
  presentedToName: z.string().nullable(),
  sourceDocumentId: z.string().nullable(),
  draftingUnitId: z.string().nullable(),
  replacesDocumentId: z.string().nullable(),
  replacedByDocumentId: z.string().nullable(),
  recalledAt: ts.nullable(),
  recallReason: z.string().nullable(),
  completedAt: ts.nullable(),
  createdBy: z.string(),
  createdByName: z.string().nullable(),
  updatedAt: ts,
  secretNotice: z.string().nullable().describe('Why no file is kept (secret documents)'),
  files: z.array(documentFileSchema),
  assignments: z.array(assignmentSchema),
  reviews: z.array(reviewSchema),
  recipients: z.array(recipientSchema),
  timeline: z.array(timelineEntrySchema),
  /** What the caller may do now (the web app shows these buttons). */
  allowedActions: z.array(z.string()),
});

export type DocumentSummary = z.infer<typeof documentSummarySchema>;
export type DocumentDetail = z.infer<typeof documentDetailSchema>;
