/**
 * The province tree of the document dataset: the demo province (kept, with its accounts) grown to the
 * province committee + its office + 20 departments + 280 communes (each with an office and a one-stop
 * desk), and 9 officials per agency (clerk, leader, two deputies, five specialists). Written with a few
 * set-based INSERTs; returns the agencies with the people the document generator assigns work to.
 */
import { hashPassword } from '../src/core/auth/password.js';
import { newId } from '../src/core/ids/index.js';
import { defaultBookName } from '../src/modules/documents/numbering.js';
import { DEMO_PASSWORD } from '../src/modules/directory/demo.js';
import { type Commune, DEPARTMENTS, communeNames, personName, prng } from './documents-data.js';
import type { Sql } from './documents-sql.js';

export type Person = { id: string; name: string; position: string };
export type Agency = {
  idx: number; // 1-based, the generator's handle
  kind: 'province' | 'department' | 'commune';
  unitId: string; // the unit owning the agency's documents (the province's office for the province)
  issuerName: string;
  issuerShort: string;
  agencyCode: string;
  place: string; // in subjects: "tỉnh Thái Hòa", "xã Tân An"
  placeName: string; // date line: "Thái Hòa", "Tân An"
  divisions: string[];
  weight: number; // share of the documents
  clerk: Person;
  leader: Person;
  deputies: Person[];
  specialists: Person[];
  books: { in: string; inSecret: string; out: string; outSecret: string; outLegal: string };
};

type UnitRow = { id: string; parent_id: string | null; path: string; depth: number; level: string; kind: string; name: string; short_name: string; agency_code: string; created_at: string; updated_at: string };
type Existing = { units: Map<string, { id: string; path: string; depth: number }>; users: Map<string, { id: string; full_name: string }> };

const PROVINCE = 'Thái Hòa';
export const COMMUNES = 280;

async function existing(sql: Sql): Promise<Existing> {
  const u = await sql.query<{ id: string; path: string; depth: number; agency_code: string }>(`SELECT id, path, depth, agency_code FROM units WHERE agency_code IS NOT NULL`);
  const p = await sql.query<{ id: string; username: string; full_name: string }>(`SELECT id, username, full_name FROM users`);
  return { units: new Map(u.map((r) => [r.agency_code, r])), users: new Map(p.map((r) => [r.username, r])) };
}

export async function buildDirectory(sql: Sql, now: Date): Promise<Agency[]> {
  const ex = await existing(sql);
  const root = ex.units.get('000.00.00.H99');
  const office = ex.units.get('000.00.01.H99');
  if (!root || !office) throw new Error('the demo province (000.00.00.H99) is missing: seedDemo must run first');
  const rnd = prng(20260);
  const at = now.toISOString();
  const newUnits: UnitRow[] = [];
  const unit = (parent: { id: string; path: string; depth: number }, kind: string, level: string, name: string, short: string, code: string) => {
    const found = ex.units.get(code);
    if (found) return found;
    const id = newId();
    const row = { id, path: `${parent.path}${id}/`, depth: parent.depth + 1 };
    newUnits.push({ ...row, parent_id: parent.id, level, kind, name, short_name: short, agency_code: code, created_at: at, updated_at: at });
    return row;
  };

  const hash = await hashPassword(DEMO_PASSWORD);
  const users: { id: string; kind: string; username: string; full_name: string; email: string; password_hash: string; created_at: string; updated_at: string; password_changed_at: string }[] = [];
  const officials: { user_id: string; unit_id: string; position_title: string }[] = [];
  const roles: { user_id: string; unit_id: string; role: string }[] = [];
  const person = (username: string, unitId: string, role: string, position: string): Person => {
    const old = ex.users.get(username);
    if (old) return { id: old.id, name: old.full_name, position };
    const id = newId();
    const name = personName(rnd);
    users.push({ id, kind: 'official', username, full_name: name, email: `${username}@thaihoa.gov.vn`, password_hash: hash, created_at: at, updated_at: at, password_changed_at: at });
    officials.push({ user_id: id, unit_id: unitId, position_title: position });
    roles.push({ user_id: id, unit_id: unitId, role });
    return { id, name, position };
  };
  const staff = (key: string, unitId: string, titles: { leader: string; deputy: string; specialist: string }, demo: { clerk?: string; leader?: string; specialist?: string } = {}) => ({
    clerk: person(demo.clerk ?? `vanthu.${key}`, unitId, 'clerk', 'Văn thư'),
    leader: person(demo.leader ?? `lanhdao.${key}`, unitId, 'leader', titles.leader),
    deputies: [1, 2].map((i) => person(`pho${i}.${key}`, unitId, 'deputy_leader', titles.deputy)),
    specialists: [1, 2, 3, 4, 5].map((i) => (i === 1 && demo.specialist ? person(demo.specialist, unitId, 'specialist', titles.specialist) : person(`chuyenvien${i}.${key}`, unitId, 'specialist', titles.specialist))),
  });

  const agencies: Omit<Agency, 'books'>[] = [];
  const add = (a: Omit<Agency, 'idx' | 'books'>) => agencies.push({ ...a, idx: agencies.length + 1 });
  add({
    kind: 'province', unitId: office.id, issuerName: `Ủy ban nhân dân tỉnh ${PROVINCE}`, issuerShort: 'UBND', agencyCode: '000.00.00.H99', place: `tỉnh ${PROVINCE}`, placeName: PROVINCE,
    divisions: ['KT', 'NC', 'TH', 'VX', 'KTN'], weight: 60,
    ...staff('vp', office.id, { leader: 'Chánh Văn phòng', deputy: 'Phó Chánh Văn phòng', specialist: 'Chuyên viên' }, { clerk: 'vanthu.tinh', leader: 'lanhdao.tinh', specialist: 'chuyenvien.tinh' }),
  });
  DEPARTMENTS.forEach((d, i) => {
    const code = `000.00.${String(i + 2).padStart(2, '0')}.H99`;
    const u = unit(root, 'department', 'province', d.name, d.short, code);
    const key = `s${String(i + 2).padStart(2, '0')}`;
    add({
      kind: 'department', unitId: u.id, issuerName: d.name, issuerShort: d.short, agencyCode: code, place: `tỉnh ${PROVINCE}`, placeName: PROVINCE, divisions: d.divisions, weight: 12,
      ...staff(key, u.id, { leader: d.short === 'TTr' ? 'Chánh Thanh tra' : 'Giám đốc', deputy: d.short === 'TTr' ? 'Phó Chánh Thanh tra' : 'Phó Giám đốc', specialist: 'Chuyên viên' }),
    });
  });
  const communes: Commune[] = [{ name: 'Tân An', ward: false }, { name: 'Phú Lộc', ward: false }, ...communeNames(COMMUNES - 2)];
  communes.forEach((c, i) => {
    const n = i + 1;
    const nn = String(n).padStart(2, '0');
    const level = c.ward ? 'phường' : 'xã';
    const u = unit(root, 'people_committee', 'commune', `Ủy ban nhân dân ${level} ${c.name}`, 'UBND', `000.${nn}.31.H99`);
    unit(u, 'office', 'commune', `Văn phòng HĐND và UBND ${level} ${c.name}`, 'VP', `001.${nn}.31.H99`);
    unit(u, 'onestop_desk', 'commune', `Bộ phận Một cửa ${level} ${c.name}`, 'BPMC', `002.${nn}.31.H99`);
    const demo = n === 1 ? { clerk: 'vanthu.xa', leader: 'lanhdao.xa', specialist: 'chuyenvien.xa' } : n === 2 ? { clerk: 'vanthu.xa2' } : {};
    add({
      kind: 'commune', unitId: u.id, issuerName: `Ủy ban nhân dân ${level} ${c.name}`, issuerShort: 'UBND', agencyCode: `000.${nn}.31.H99`, place: `${level} ${c.name}`, placeName: c.name,
      divisions: ['VP', 'TP', 'ĐC', 'VHXH'], weight: 2.5,
      ...staff(`x${String(n).padStart(3, '0')}`, u.id, { leader: `Chủ tịch UBND ${level}`, deputy: `Phó Chủ tịch UBND ${level}`, specialist: 'Công chức' }, demo),
    });
  });

  await insertJson(sql, 'units', 'id uuid, parent_id uuid, path text, depth int, level text, kind text, name text, short_name text, agency_code text, created_at timestamptz, updated_at timestamptz', newUnits);
  await insertJson(sql, 'users', 'id uuid, kind text, username text, full_name text, email text, password_hash text, created_at timestamptz, updated_at timestamptz, password_changed_at timestamptz', users);
  await insertJson(sql, 'officials', 'user_id uuid, unit_id uuid, position_title text', officials);
  await insertJson(sql, 'role_assignments', 'user_id uuid, unit_id uuid, role text', roles, 'ON CONFLICT DO NOTHING');

  // Register books: incoming regular + secret, outgoing regular + secret + legal normative decisions.
  const books: { id: string; unit_id: string; direction: string; series: string; name: string; created_at: string }[] = [];
  const out: Agency[] = agencies.map((a) => {
    const book = (direction: 'incoming' | 'outgoing', series: string) => {
      const id = newId();
      books.push({ id, unit_id: a.unitId, direction, series, name: defaultBookName(direction, series), created_at: at });
      return id;
    };
    return { ...a, books: { in: book('incoming', 'regular'), inSecret: book('incoming', 'secret'), out: book('outgoing', 'regular'), outSecret: book('outgoing', 'secret'), outLegal: book('outgoing', 'legal:QD') } };
  });
  await insertJson(sql, 'register_books', 'id uuid, unit_id uuid, direction text, series text, name text, created_at timestamptz', books);
  return out;
}

/** Set-based insert of many rows through one JSON parameter (same on PostgreSQL and PGlite). */
export async function insertJson(sql: Sql, table: string, columns: string, rows: object[], suffix = ''): Promise<void> {
  const names = columns.split(',').map((c) => c.trim().split(' ')[0]);
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    await sql.query(`INSERT INTO ${table} (${names.join(', ')}) SELECT ${names.join(', ')} FROM json_to_recordset($1::json) AS x(${columns}) ${suffix}`, [JSON.stringify(chunk)]);
  }
}

/** The agencies as a table the generator joins on (bench_g), with the people as parallel arrays. */
export async function loadAgencyTable(sql: Sql, agencies: Agency[]): Promise<void> {
  await sql.exec(`DROP TABLE IF EXISTS bench_g; CREATE TEMP TABLE bench_g (
    idx int PRIMARY KEY, kind text, unit_id uuid, issuer_name text, issuer_short text, agency_code text, place text, place_name text, divs text[],
    clerk_id uuid, clerk_name text, leader_id uuid, leader_name text, leader_pos text, dep_ids uuid[], dep_names text[], dep_pos text,
    spec_ids uuid[], spec_names text[], in_book uuid, in_sbook uuid, out_book uuid, out_sbook uuid, out_lbook uuid)`);
  const rows = agencies.map((a) => ({
    idx: a.idx, kind: a.kind, unit_id: a.unitId, issuer_name: a.issuerName, issuer_short: a.issuerShort, agency_code: a.agencyCode, place: a.place, place_name: a.placeName, divs: a.divisions,
    clerk_id: a.clerk.id, clerk_name: a.clerk.name, leader_id: a.leader.id, leader_name: a.leader.name, leader_pos: a.leader.position,
    dep_ids: a.deputies.map((p) => p.id), dep_names: a.deputies.map((p) => p.name), dep_pos: a.deputies[0].position,
    spec_ids: a.specialists.map((p) => p.id), spec_names: a.specialists.map((p) => p.name),
    in_book: a.books.in, in_sbook: a.books.inSecret, out_book: a.books.out, out_sbook: a.books.outSecret, out_lbook: a.books.outLegal,
  }));
  await sql.query(
    `INSERT INTO bench_g SELECT idx, kind, unit_id, issuer_name, issuer_short, agency_code, place, place_name, ARRAY(SELECT json_array_elements_text(divs)),
       clerk_id, clerk_name, leader_id, leader_name, leader_pos, ARRAY(SELECT json_array_elements_text(dep_ids))::uuid[], ARRAY(SELECT json_array_elements_text(dep_names)), dep_pos,
       ARRAY(SELECT json_array_elements_text(spec_ids))::uuid[], ARRAY(SELECT json_array_elements_text(spec_names)), in_book, in_sbook, out_book, out_sbook, out_lbook
     FROM json_to_recordset($1::json) AS x(idx int, kind text, unit_id uuid, issuer_name text, issuer_short text, agency_code text, place text, place_name text, divs json,
       clerk_id uuid, clerk_name text, leader_id uuid, leader_name text, leader_pos text, dep_ids json, dep_names json, dep_pos text, spec_ids json, spec_names json,
       in_book uuid, in_sbook uuid, out_book uuid, out_sbook uuid, out_lbook uuid)`,
    [JSON.stringify(rows)],
  );
  await sql.exec('ANALYZE bench_g');
}
