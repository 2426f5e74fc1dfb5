import { sql } from 'drizzle-orm';
import { boolean, customType, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { files } from '../../core/files/schema.js';
import { units } from '../directory/schema.js';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const DIRECTIONS = ['incoming', 'outgoing'] as const;
// Độ khẩn (Decree 30): Thường, Khẩn, Thượng khẩn, Hỏa tốc (edXML Priority 0..3).
export const URGENCIES = ['normal', 'urgent', 'very_urgent', 'flash'] as const;
// Độ mật: none, Mật, Tối mật, Tuyệt mật.
export const SECRECIES = ['none', 'confidential', 'secret', 'top_secret'] as const;
export const INCOMING_STATUSES = ['registered', 'presented', 'assigned', 'in_progress', 'completed', 'recalled'] as const;
export const OUTGOING_STATUSES = ['draft', 'in_review', 'approved', 'issued', 'recalled'] as const;
export const DOCUMENT_STATUSES = ['registered', 'presented', 'assigned', 'in_progress', 'completed', 'draft', 'in_review', 'approved', 'issued', 'recalled'] as const;

/**
 * Document types of Decree 30/2020 (Appendix III), as data with an effective date so a new decree is a
 * data change. `abbreviation` null = Công văn / Thư công (no abbreviation in the symbol).
 */
export const documentTypes = pgTable('document_types', {
  code: text('code').primaryKey(), // e.g. 'QD', 'CV'
  name: text('name').notNull(), // 'Quyết định'
  abbreviation: text('abbreviation'), // 'QĐ'
  // May be a legal normative document (văn bản quy phạm pháp luật): separate series, symbol with year.
  legalNormative: boolean('legal_normative').notNull().default(false),
  sortOrder: integer('sort_order').notNull().default(0),
  validFrom: date('valid_from').notNull(),
  validTo: date('valid_to'),
});

/**
 * Register books (sổ văn bản đến / đi) of a unit. Series: 'regular', 'secret', 'legal:<type code>'.
 * Numbers run per book and calendar year (see register_counters).
 */
export const registerBooks = pgTable(
  'register_books',
  {
    id: uuid('id').primaryKey(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    direction: text('direction', { enum: DIRECTIONS }).notNull(),
    series: text('series').notNull(),
    name: text('name').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('register_books_unit_series_uq').on(t.unitId, t.direction, t.series)],
);

/** Last number handed out per book and year: `INSERT … ON CONFLICT DO UPDATE … RETURNING` is atomic. */
export const registerCounters = pgTable(
  'register_counters',
  {
    bookId: uuid('book_id')
      .notNull()
      .references(() => registerBooks.id),
    year: integer('year').notNull(),
    lastNumber: integer('last_number').notNull(),
  },
  (t) => [primaryKey({ columns: [t.bookId, t.year] })],
);

/** Incoming and outgoing documents, one row per document per owning unit (metadata names from Decree 30 Appendix VI). */
export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    direction: text('direction', { enum: DIRECTIONS }).notNull(),
    status: text('status', { enum: DOCUMENT_STATUSES }).notNull(),
    typeCode: text('type_code')
      .notNull()
      .references(() => documentTypes.code),
    subject: text('subject').notNull(), // trích yếu
    contentSummary: text('content_summary'),
    codeNumber: integer('code_number'), // số
    codeNotation: text('code_notation'), // ký hiệu, e.g. 'QĐ-UBND'
    issuedDate: date('issued_date'), // ngày tháng văn bản
    issuedAt: timestamp('issued_at', { withTimezone: true }), // outgoing: the moment the clerk issued it
    place: text('place'), // địa danh of the date line
    // Issuer (tác giả / cơ quan ban hành): a unit of the deployment or free text.
    issuerUnitId: uuid('issuer_unit_id').references(() => units.id),
    issuerName: text('issuer_name').notNull(),
    issuerCode: text('issuer_code'), // mã định danh of the issuer, when known
    signerName: text('signer_name'),
    signerPosition: text('signer_position'),
    signerUserId: uuid('signer_user_id'),
    pageCount: integer('page_count'),
    urgency: text('urgency', { enum: URGENCIES }).notNull().default('normal'),
    secrecy: text('secrecy', { enum: SECRECIES }).notNull().default('none'),
    dueDate: date('due_date'), // hạn trả lời / hạn xử lý chung
    legalNormative: boolean('legal_normative').notNull().default(false), // văn bản quy phạm pháp luật
    // Incoming: register book, arrival number and time, how it arrived, to whom it was presented.
    bookId: uuid('book_id').references(() => registerBooks.id),
    arrivalNumber: integer('arrival_number'),
    arrivalAt: timestamp('arrival_at', { withTimezone: true }),
    receivedVia: text('received_via', { enum: ['paper', 'email', 'system', 'other'] }),
    presentedTo: uuid('presented_to'), // leader the clerk presented it to
    sourceDocumentId: uuid('source_document_id'), // incoming created from another unit's outgoing document
    // Outgoing: drafting unit and author, review configuration snapshot, replacement link.
    draftingUnitId: uuid('drafting_unit_id').references(() => units.id),
    replacesDocumentId: uuid('replaces_document_id'),
    recalledAt: timestamp('recalled_at', { withTimezone: true }),
    recallReason: text('recall_reason'),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    // Accent-free, lower-case text of subject, number/symbol, issuer and signer (built in code, see search.ts);
    // the vector also carries a `u<unit id>` token so a unit-scoped search intersects posting lists in one GIN scan.
    searchText: text('search_text').notNull(),
    searchVector: tsvector('search_vector')
      .notNull()
      .generatedAlwaysAs(sql`to_tsvector('simple'::regconfig, search_text)`),
  },
  (t) => [
    index('documents_unit_dir_created_idx').on(t.unitId, t.direction, t.createdAt.desc(), t.id.desc()),
    // Lists of readers of many units (a province leader): one scan newest first, filtered by unit (search.ts).
    index('documents_created_idx').on(t.createdAt.desc(), t.id.desc()),
    // Secret documents per unit (about 1 %): the issuing clerk's branch of lists and search (search.ts).
    index('documents_secret_idx').on(t.unitId, t.createdAt.desc(), t.id.desc()).where(sql`${t.secrecy} <> 'none'`),
    index('documents_search_idx').using('gin', t.searchVector),
    // Participant branches of lists and search (search.ts participantDocuments): the person's secret documents
    // and those outside the units they read, by key ranges of (secrecy, unit_id), from the index alone.
    index('documents_created_by_idx').on(t.createdBy, t.secrecy, t.unitId, t.id),
    index('documents_presented_to_idx').on(t.presentedTo, t.secrecy, t.unitId, t.id).where(sql`${t.presentedTo} is not null`),
    index('documents_signer_idx').on(t.signerUserId, t.secrecy, t.unitId, t.id).where(sql`${t.signerUserId} is not null`),
    index('documents_dup_idx').on(t.unitId, t.codeNumber, t.issuedDate),
    index('documents_source_idx').on(t.sourceDocumentId).where(sql`${t.sourceDocumentId} is not null`),
    index('documents_book_idx').on(t.bookId, t.arrivalNumber),
    // Number+symbol unique per issuing unit and year for issued outgoing documents.
    uniqueIndex('documents_outgoing_number_uq')
      .on(t.unitId, t.bookId, t.codeNumber, sql`(extract(year from ${t.issuedDate}))`)
      .where(sql`${t.direction} = 'outgoing' and ${t.codeNumber} is not null`),
  ],
);

/** Files of a document: the main file, attachments, and the versioned drafts of an outgoing document. */
export const documentFiles = pgTable(
  'document_files',
  {
    id: uuid('id').primaryKey(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id),
    fileId: uuid('file_id')
      .notNull()
      .references(() => files.id),
    role: text('role', { enum: ['main', 'attachment', 'draft', 'draft_source', 'signed'] }).notNull(),
    version: integer('version').notNull().default(1),
    note: text('note'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('document_files_doc_idx').on(t.documentId)],
);

export const ASSIGNMENT_ROLES = ['lead', 'co', 'info'] as const; // chủ trì, phối hợp, nhận để biết
export const ASSIGNMENT_STATUSES = ['pending', 'in_progress', 'returned', 'handed_over', 'forwarded', 'completed', 'cancelled'] as const;

/** Who handles an incoming document (a person or a unit), with a deadline. */
export const assignments = pgTable(
  'assignments',
  {
    id: uuid('id').primaryKey(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id),
    unitId: uuid('unit_id').notNull(), // owning unit of the document (for scoping and partitioning)
    role: text('role', { enum: ASSIGNMENT_ROLES }).notNull(),
    assigneeUserId: uuid('assignee_user_id'),
    assigneeUnitId: uuid('assignee_unit_id').references(() => units.id),
    status: text('status', { enum: ASSIGNMENT_STATUSES }).notNull().default('pending'),
    dueDate: date('due_date'),
    instruction: text('instruction'),
    urgent: boolean('urgent').notNull().default(false), // copied from the document for inbox ordering
    parentId: uuid('parent_id'), // hand-over / forward chain
    assignedBy: uuid('assigned_by').notNull(),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull(),
    progressNote: text('progress_note'),
    progressPercent: integer('progress_percent'),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    resultNote: text('result_note'),
    replyDocumentId: uuid('reply_document_id'),
    returnReason: text('return_reason'),
    // Set on every assignment of a recalled document (recall.ts), so inbox lists and counters need not join documents.
    documentRecalled: boolean('document_recalled').notNull().default(false),
  },
  (t) => [
    // Inbox totals and counters (inbox.ts): open items, and done items of a period, answered from the index alone.
    // (Drizzle has no INCLUDE: the covered columns are trailing key columns.)
    index('assignments_user_inbox_idx').on(t.assigneeUserId, t.status, t.completedAt, t.dueDate, t.documentRecalled, t.documentId),
    index('assignments_unit_inbox_idx').on(t.assigneeUnitId, t.status).where(sql`${t.assigneeUnitId} is not null`),
    index('assignments_doc_idx').on(t.documentId),
    index('assignments_owner_idx').on(t.unitId, t.assignedAt),
    // Inbox list order (urgent first, newest assignment first): a keyset page reads only its rows (inbox.ts).
    index('assignments_user_list_idx').on(t.assigneeUserId, t.urgent.desc(), t.assignedAt.desc(), t.id.desc()),
    // Open items by due date: the daily deadline digest and overdue statistics (digest.ts, statistics.ts).
    index('assignments_open_due_idx').on(t.dueDate).where(sql`${t.status} in ('pending', 'in_progress') and ${t.dueDate} is not null`),
  ],
);

/** The timeline of a document (append-only): who, when, what, instruction or reason text. */
export const documentEvents = pgTable(
  'document_events',
  {
    id: uuid('id').primaryKey(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id),
    unitId: uuid('unit_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    action: text('action').notNull(), // e.g. 'registered', 'assigned', 'returned', 'issued'
    text: text('text'), // instruction / reason / note
    detail: jsonb('detail'),
  },
  (t) => [index('document_events_doc_idx').on(t.documentId, t.at)],
);

/** Read/unread per person. */
export const documentReads = pgTable(
  'document_reads',
  {
    documentId: uuid('document_id').notNull(),
    userId: uuid('user_id').notNull(),
    readAt: timestamp('read_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.documentId] })],
);

/** Review chain of an outgoing draft: ký nháy by the drafting unit head, then approval by the signer. */
export const documentReviews = pgTable(
  'document_reviews',
  {
    id: uuid('id').primaryKey(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id),
    round: integer('round').notNull(),
    step: integer('step').notNull(),
    kind: text('kind', { enum: ['initial', 'approve'] }).notNull(),
    reviewerUserId: uuid('reviewer_user_id').notNull(),
    status: text('status', { enum: ['waiting', 'pending', 'approved', 'returned', 'cancelled'] }).notNull(),
    reason: text('reason'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [index('document_reviews_doc_idx').on(t.documentId, t.round, t.step), index('document_reviews_reviewer_idx').on(t.reviewerUserId, t.status)],
);

export const RECIPIENT_STATUSES = ['pending', 'arrived', 'accepted', 'refused', 'assigned', 'processing', 'done', 'recalled', 'sent', 'failed'] as const;

/** Recipients of an issued outgoing document and where each one stands. */
export const documentRecipients = pgTable(
  'document_recipients',
  {
    id: uuid('id').primaryKey(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id),
    kind: text('kind', { enum: ['unit', 'external', 'email'] }).notNull(),
    unitId: uuid('unit_id').references(() => units.id), // recipient unit inside the deployment
    receivingUnitId: uuid('receiving_unit_id').references(() => units.id), // whose clerk queue gets it
    agencyCode: text('agency_code'),
    name: text('name').notNull(),
    email: text('email'),
    status: text('status', { enum: RECIPIENT_STATUSES }).notNull().default('pending'),
    reason: text('reason'),
    incomingDocumentId: uuid('incoming_document_id'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('document_recipients_doc_idx').on(t.documentId),
    index('document_recipients_queue_idx').on(t.receivingUnitId, t.status).where(sql`${t.receivingUnitId} is not null`),
  ],
);

/** Saved searches per person. */
export const savedSearches = pgTable(
  'saved_searches',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    name: text('name').notNull(),
    query: jsonb('query').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('saved_searches_user_idx').on(t.userId)],
);
