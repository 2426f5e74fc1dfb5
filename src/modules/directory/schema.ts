import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { users } from '../../core/auth/schema.js';

export const UNIT_LEVELS = ['central', 'province', 'district', 'commune'] as const;
export const UNIT_KINDS = ['people_committee', 'department', 'office', 'onestop_desk', 'division', 'other'] as const;

/** Agencies and their internal units, a tree of any depth (materialised path of ids for subtree checks). */
export const units = pgTable(
  'units',
  {
    id: uuid('id').primaryKey(),
    parentId: uuid('parent_id').references((): AnyPgColumn => units.id),
    // '/<root id>/.../<own id>/' — subtree = path LIKE prefix || '%'
    path: text('path').notNull(),
    depth: integer('depth').notNull(),
    level: text('level', { enum: UNIT_LEVELS }).notNull(),
    kind: text('kind', { enum: UNIT_KINDS }).notNull(),
    name: text('name').notNull(),
    shortName: text('short_name').notNull(),
    agencyCode: text('agency_code'), // mã định danh
    address: text('address'),
    phone: text('phone'),
    email: text('email'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('units_path_idx').on(t.path),
    index('units_parent_idx').on(t.parentId),
    uniqueIndex('units_agency_code_uq').on(t.agencyCode).where(sql`${t.agencyCode} is not null`),
  ],
);

/** Officials' work profile; the credentials are in core `users`. */
export const officials = pgTable(
  'officials',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    positionTitle: text('position_title'), // chức vụ
  },
  (t) => [index('officials_unit_idx').on(t.unitId)],
);

export const ROLES = ['admin', 'unit_admin', 'clerk', 'specialist', 'leader', 'deputy_leader', 'onestop_officer'] as const;

/** Roles per unit; one person may hold roles in several units. */
export const roleAssignments = pgTable(
  'role_assignments',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    role: text('role', { enum: ROLES }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.unitId, t.role] }), index('role_assignments_unit_idx').on(t.unitId)],
);

/** Public users (citizens and businesses). */
export const citizens = pgTable('citizens', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  idNumber: text('id_number').notNull().unique(), // CCCD, 12 digits
});
