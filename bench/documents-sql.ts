/**
 * Set-based SQL of the document dataset generator: the search-text functions (the SQL twin of
 * src/modules/documents/text.ts, checked against it by the generator), a staging table with every
 * random choice made once per document, and the INSERT … SELECT statements that fill documents,
 * assignments, the timeline, read marks and the register counters from it. Runs unchanged on
 * PostgreSQL and PGlite (one session: temporary tables and pg_temp functions).
 */
import { EXTERNAL_ISSUERS, FAMILY, GIVEN_FEMALE, GIVEN_MALE, INSTRUCTIONS, MIDDLE_FEMALE, MIDDLE_MALE, NOUNS, PERIODS, PROGRESS, RESULTS, TEMPLATES } from './documents-data.js';
import type { Agency } from './documents-directory.js';

/** One database session. */
export type Sql = {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  exec(text: string): Promise<void>;
};

/**
 * foldText, symbolTokens, numberSymbolOf and buildSearchText of the application, in SQL. foldText's two
 * last replacements (other characters → space, then whitespace runs → one space) are one here: every run
 * of characters outside [a-z0-9/.-] becomes one space, which is the same string and needs no whitespace class.
 */
export const SEARCH_TEXT_FUNCTIONS = String.raw`
CREATE OR REPLACE FUNCTION pg_temp.lt_fold(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT btrim(regexp_replace(lower(translate(regexp_replace(normalize(s, NFD), '[\u0300-\u036f]', '', 'g'), 'đĐ', 'dd')), '[^a-z0-9/.-]+', ' ', 'g'), ' ')
$$;
CREATE OR REPLACE FUNCTION pg_temp.lt_number_symbol(code_number int, code_notation text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN code_number IS NULL THEN nullif(code_notation, '')
    ELSE CASE WHEN code_number < 10 THEN '0' ELSE '' END || code_number::text || CASE WHEN coalesce(code_notation, '') <> '' THEN '/' || code_notation ELSE '' END END
$$;
CREATE OR REPLACE FUNCTION pg_temp.lt_search_text(subject text, number_symbol text, issuer text, signer text, unit_id uuid) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE f text; sym text := '';
BEGIN
  IF coalesce(number_symbol, '') <> '' THEN
    f := pg_temp.lt_fold(number_symbol);
    sym := concat_ws(' ', translate(f, '/-.', '___'), nullif(array_to_string(array_remove(regexp_split_to_array(f, '[/.[:space:]-]+'), ''), ' '), ''));
  END IF;
  RETURN replace(translate(concat_ws(' ', nullif(pg_temp.lt_fold(subject), ''), nullif(sym, ''), nullif(pg_temp.lt_fold(coalesce(issuer, '')), ''),
    nullif(pg_temp.lt_fold(coalesce(signer, '')), ''), 'u' || replace(unit_id::text, '-', '')), '/-.', '   '), '_', '');
END $$;
-- Time-ordered ids like UUID v7 (48-bit ms, version 7, a per-table salt, variant, a unique counter).
CREATE OR REPLACE FUNCTION pg_temp.lt_uuid(t timestamptz, n bigint, salt int) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
  SELECT (lpad(to_hex((extract(epoch FROM t) * 1000)::bigint), 12, '0') || '7' || lpad(to_hex(salt), 3, '0') || '8' || lpad(to_hex(n), 15, '0'))::uuid
$$;
CREATE OR REPLACE FUNCTION pg_temp.lt_local(t timestamptz) RETURNS date LANGUAGE sql IMMUTABLE AS $$
  SELECT ((t AT TIME ZONE 'UTC') + interval '7 hours')::date
$$;`;

/** A SQL literal (standard_conforming_strings). */
export const lit = (s: string | null): string => (s === null ? 'NULL' : `'${s.replace(/'/g, "''")}'`);
const arr = (xs: (string | null)[], type = 'text') => `(ARRAY[${xs.map(lit).join(',')}]::${type}[])`;
const intArr = (xs: number[]) => `(ARRAY[${xs.join(',')}]::int[])`;

/** Indices 1..weights.length repeated in proportion to their weight: a weighted pick is one subscript. */
function buckets(weights: number[], size = 2000): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  weights.forEach((w, i) => {
    for (let k = 0; k < Math.round((w / total) * size); k++) out.push(i + 1);
  });
  return out;
}

export type StageConfig = { first: number; count: number; startDate: string; days: number; today: string; now: string; incomingShare: number };

/**
 * The staging table: one row per document with all its random choices and what follows from them
 * (dates, status, book and number, the people involved). Numbers run per book and local year in
 * arrival/issue order, like nextNumber would have handed them out.
 */
export function stageSql(c: StageConfig, agencies: Agency[]): string {
  const unitPick = buckets(agencies.map((a) => a.weight));
  const inTpl = buckets(TEMPLATES.map((t) => t.inWeight));
  const outTpl = buckets(TEMPLATES.map((t) => t.outWeight));
  const depts = agencies.filter((a) => a.kind === 'department');
  const communes = agencies.filter((a) => a.kind === 'commune');
  return `
CREATE TEMP TABLE bench_stage AS
WITH r0 AS (
  SELECT n, ${intArr(unitPick)}[1 + floor(random() * ${unitPick.length})::int] AS u,
    random() < ${c.incomingShare} AS inc,
    ${lit(c.startDate)}::date + floor(random() * ${c.days})::int AS d0,
    450 + floor(random() * 570)::int AS minute,
    ${intArr(inTpl)}[1 + floor(random() * ${inTpl.length})::int] AS tin,
    ${intArr(outTpl)}[1 + floor(random() * ${outTpl.length})::int] AS tout,
    1 + floor(random() * ${NOUNS.length})::int AS noun, 1 + floor(random() * ${PERIODS.length})::int AS period,
    random() AS p_iss, random() AS p_iss2, random() AS p_status, random() AS p_urg, random() AS p_sec, random() AS p_legal, random() AS p_due, random() AS p_done,
    random() AS p_misc, random() AS p_lead, random() AS p_co, random() AS p_info, random() AS p_sig,
    floor(random() * 1000000000)::int AS h, 5 + floor(random() * 26)::int AS due_days, floor(random() * 7)::int AS back,
    1 + floor(power(random(), 1.6) * 2500)::int AS ext_number
  FROM generate_series(${c.first}, ${c.first + c.count - 1}) n
), r1 AS (
  SELECT r0.*, g.kind AS gkind,
    r0.d0 - CASE extract(isodow FROM r0.d0)::int WHEN 6 THEN 1 WHEN 7 THEN 2 ELSE 0 END AS ld,
    CASE WHEN inc THEN tin ELSE tout END AS tpl,
    CASE WHEN p_iss < 0.30 THEN 0 WHEN p_iss < 0.55 THEN 1 + floor(p_iss2 * ${depts.length})::int
         WHEN p_iss < 0.62 THEN ${1 + depts.length} + floor(p_iss2 * ${communes.length})::int
         ELSE ${1 + depts.length + communes.length} + floor(p_iss2 * ${EXTERNAL_ISSUERS.length})::int END AS iss,
    CASE WHEN p_urg < 0.86 THEN 'normal' WHEN p_urg < 0.95 THEN 'urgent' WHEN p_urg < 0.99 THEN 'very_urgent' ELSE 'flash' END AS urgency,
    CASE WHEN p_sec < 0.98 THEN 'none' WHEN p_sec < 0.995 THEN 'confidential' WHEN p_sec < 0.999 THEN 'secret' ELSE 'top_secret' END AS secrecy
  FROM r0 JOIN bench_g g ON g.idx = r0.u
), r2 AS (
  SELECT r1.*, ${arr(TEMPLATES.map((t) => t.type))}[tpl] AS type_code,
    (${lit(c.today)}::date - ld) AS age,
    extract(year FROM ld)::int AS year,
    ((ld + make_interval(mins => minute))::timestamp - interval '7 hours') AT TIME ZONE 'UTC' AS at,
    ${arr(TEMPLATES.map((t) => t.type))}[tpl] IN ('QD', 'NQ') AND p_legal < 0.06 AS legal
  FROM r1
), r3 AS (
  SELECT r2.*,
    CASE WHEN inc THEN
      CASE WHEN age > 60 THEN (CASE WHEN p_status < 0.96 THEN 'completed' WHEN p_status < 0.98 THEN 'in_progress' WHEN p_status < 0.995 THEN 'assigned' WHEN p_status < 0.998 THEN 'presented' ELSE 'registered' END)
           WHEN age > 10 THEN (CASE WHEN p_status < 0.70 THEN 'completed' WHEN p_status < 0.88 THEN 'in_progress' WHEN p_status < 0.96 THEN 'assigned' WHEN p_status < 0.98 THEN 'presented' ELSE 'registered' END)
           ELSE (CASE WHEN p_status < 0.20 THEN 'completed' WHEN p_status < 0.50 THEN 'in_progress' WHEN p_status < 0.80 THEN 'assigned' WHEN p_status < 0.90 THEN 'presented' ELSE 'registered' END) END
    ELSE
      CASE WHEN age > 7 THEN (CASE WHEN p_status < 0.984 THEN 'issued' WHEN p_status < 0.985 THEN 'recalled' WHEN p_status < 0.99 THEN 'draft' WHEN p_status < 0.995 THEN 'in_review' ELSE 'approved' END)
           ELSE (CASE WHEN p_status < 0.60 THEN 'issued' WHEN p_status < 0.80 THEN 'draft' WHEN p_status < 0.95 THEN 'in_review' ELSE 'approved' END) END
    END AS status
  FROM r2
), r4 AS (
  SELECT r3.*, g.unit_id,
    CASE WHEN inc THEN (CASE WHEN secrecy <> 'none' THEN g.in_sbook ELSE g.in_book END)
         WHEN status IN ('issued', 'recalled') THEN (CASE WHEN secrecy <> 'none' THEN g.out_sbook WHEN legal AND type_code = 'QD' THEN g.out_lbook ELSE g.out_book END) END AS book_id,
    CASE WHEN inc THEN at ELSE at - make_interval(days => 1 + floor(p_misc * 6)::int) END AS created_at,
    CASE WHEN p_sig < 0.8 THEN g.leader_id ELSE g.dep_ids[1 + h % 2] END AS boss_id,
    CASE WHEN p_sig < 0.8 THEN g.leader_name ELSE g.dep_names[1 + h % 2] END AS boss_name,
    CASE WHEN p_sig < 0.8 THEN g.leader_pos ELSE g.dep_pos END AS boss_pos,
    g.clerk_id, g.clerk_name, g.spec_ids, g.spec_names, g.dep_ids, g.dep_names,
    ld + due_days AS lead_due,
    CASE WHEN inc AND status IN ('assigned', 'in_progress', 'completed') THEN
      least(at + make_interval(hours => 1 + floor(p_misc * 40)::int), ${lit(c.now)}::timestamptz - interval '2 hours') END AS assigned_at,
    CASE WHEN gkind = 'province' AND secrecy = 'none' AND p_lead < 0.2 THEN 1 + h % ${depts.length} END AS lead_dept,
    CASE WHEN p_co < 0.4 THEN 0 WHEN p_co < 0.8 THEN 1 ELSE 2 END AS nco,
    CASE WHEN p_info < 0.5 THEN 0 WHEN p_info < 0.8 THEN 1 ELSE 2 END AS ninfo
  FROM r3 JOIN bench_g g ON g.idx = r3.u
)
SELECT r4.*,
  pg_temp.lt_uuid(created_at, n, 1) AS id,
  CASE WHEN book_id IS NOT NULL THEN row_number() OVER (PARTITION BY book_id, year ORDER BY at, n) END AS num,
  CASE WHEN status = 'completed' THEN
    least(assigned_at + make_interval(hours => floor(power(p_done, 1.3) * due_days * 1.25 * 24)::int + 1), ${lit(c.now)}::timestamptz - interval '1 hour') END AS completed_at
FROM r4`;
}

/** The documents rows, with the subject, number/symbol, issuer, signer and search text built in SQL. */
export function documentsSql(agencies: Agency[], from: number, to: number): string {
  const depts = agencies.filter((a) => a.kind === 'department');
  const communes = agencies.filter((a) => a.kind === 'commune');
  const province = agencies.find((a) => a.kind === 'province')!;
  // Issuers: 0 = the province committee, then departments, communes, outside agencies.
  const issuers = [
    { name: province.issuerName, short: 'UBND', code: province.agencyCode, unit: null as string | null, pos: ['Chủ tịch', 'Phó Chủ tịch'], divs: province.divisions },
    ...depts.map((d) => ({ name: d.issuerName, short: d.issuerShort, code: d.agencyCode, unit: d.unitId, pos: [d.leader.position, d.deputies[0].position], divs: d.divisions })),
    ...communes.map((d) => ({ name: d.issuerName, short: 'UBND', code: d.agencyCode, unit: d.unitId, pos: ['Chủ tịch', 'Phó Chủ tịch'], divs: d.divisions })),
    ...EXTERNAL_ISSUERS.map(([name, short, p1, p2]) => ({ name, short, code: null, unit: null, pos: [p1, p2], divs: ['VP', 'TH', 'KH'] })),
  ];
  const i = 'iss + 1';
  const signerName = `(CASE WHEN h % 2 = 0 THEN ${arr(FAMILY)}[1 + h % ${FAMILY.length}] || ' ' || ${arr(MIDDLE_MALE)}[1 + (h / 7) % ${MIDDLE_MALE.length}] || ' ' || ${arr(GIVEN_MALE)}[1 + (h / 101) % ${GIVEN_MALE.length}]
    ELSE ${arr(FAMILY)}[1 + h % ${FAMILY.length}] || ' ' || ${arr(MIDDLE_FEMALE)}[1 + (h / 7) % ${MIDDLE_FEMALE.length}] || ' ' || ${arr(GIVEN_FEMALE)}[1 + (h / 101) % ${GIVEN_FEMALE.length}] END)`;
  return `
INSERT INTO documents (id, unit_id, direction, status, type_code, subject, code_number, code_notation, issued_date, issued_at, place, issuer_unit_id, issuer_name, issuer_code,
  signer_name, signer_position, signer_user_id, page_count, urgency, secrecy, due_date, legal_normative, book_id, arrival_number, arrival_at, received_via, presented_to,
  drafting_unit_id, recalled_at, recall_reason, completed_at, created_by, created_at, updated_at, search_text)
SELECT id, unit_id, direction, status, type_code, subject, code_number, code_notation, issued_date, issued_at, place, issuer_unit_id, issuer_name, issuer_code,
  signer_name, signer_position, signer_user_id, page_count, urgency, secrecy, due_date, legal_normative, book_id, arrival_number, arrival_at, received_via, presented_to,
  drafting_unit_id, recalled_at, recall_reason, completed_at, created_by, created_at, updated_at,
  pg_temp.lt_search_text(subject, pg_temp.lt_number_symbol(code_number, code_notation), issuer_name, signer_name, unit_id)
FROM (
  SELECT s.id, s.unit_id, CASE WHEN s.inc THEN 'incoming' ELSE 'outgoing' END AS direction, s.status, s.type_code,
    replace(replace(replace(replace(${arr(TEMPLATES.map((t) => t.text))}[s.tpl], '{noun}', ${arr(NOUNS)}[s.noun]), '{year}', (s.year + CASE WHEN s.type_code = 'KH' AND s.p_misc < 0.3 THEN 1 ELSE 0 END)::text),
      '{place}', g.place), '{period}', ${arr(PERIODS)}[s.period]) AS subject,
    CASE WHEN s.inc THEN s.ext_number WHEN s.num IS NOT NULL THEN s.num::int END AS code_number,
    CASE WHEN s.inc THEN
      (CASE WHEN s.legal THEN s.year::text || '/' ELSE '' END) ||
      (CASE WHEN dt.abbreviation IS NULL THEN ${arr(issuers.map((x) => x.short))}[${i}] || '-' || split_part(${arr(issuers.map((x) => x.divs.join('|')))}[${i}], '|', 1 + s.h % ${arr(issuers.map((x) => String(x.divs.length)))}[${i}]::int)
       ELSE dt.abbreviation || '-' || ${arr(issuers.map((x) => x.short))}[${i}] END)
    ELSE
      (CASE WHEN s.legal AND s.num IS NOT NULL THEN s.year::text || '/' ELSE '' END) ||
      (CASE WHEN dt.abbreviation IS NULL THEN g.issuer_short || '-' || g.divs[1 + s.h % cardinality(g.divs)] ELSE dt.abbreviation || '-' || g.issuer_short END)
    END AS code_notation,
    CASE WHEN s.inc THEN s.ld - s.back WHEN s.num IS NOT NULL THEN s.ld END AS issued_date,
    CASE WHEN NOT s.inc AND s.num IS NOT NULL THEN s.at END AS issued_at,
    CASE WHEN NOT s.inc THEN g.place_name END AS place,
    CASE WHEN s.inc THEN ${arr(issuers.map((x) => x.unit), 'uuid')}[${i}] END AS issuer_unit_id,
    CASE WHEN s.inc THEN ${arr(issuers.map((x) => x.name))}[${i}] ELSE g.issuer_name END AS issuer_name,
    CASE WHEN s.inc THEN ${arr(issuers.map((x) => x.code))}[${i}] ELSE g.agency_code END AS issuer_code,
    CASE WHEN s.inc THEN ${signerName} ELSE s.boss_name END AS signer_name,
    CASE WHEN s.inc THEN ${arr(issuers.map((x) => x.pos[0]))}[${i}] ELSE s.boss_pos END AS signer_position,
    CASE WHEN NOT s.inc THEN s.boss_id END AS signer_user_id,
    1 + floor(power(s.p_misc, 2) * 12)::int AS page_count, s.urgency, s.secrecy,
    CASE WHEN s.inc AND s.p_due < 0.6 THEN s.lead_due END AS due_date, s.legal AS legal_normative, s.book_id,
    CASE WHEN s.inc THEN s.num::int END AS arrival_number, CASE WHEN s.inc THEN s.at END AS arrival_at,
    CASE WHEN NOT s.inc THEN NULL WHEN s.p_misc < 0.45 THEN 'paper' ELSE 'email' END AS received_via,
    CASE WHEN s.inc AND s.status <> 'registered' THEN s.boss_id END AS presented_to,
    CASE WHEN NOT s.inc THEN s.unit_id END AS drafting_unit_id,
    CASE WHEN s.status = 'recalled' THEN s.at + interval '3 days' END AS recalled_at,
    CASE WHEN s.status = 'recalled' THEN 'Văn bản ban hành chưa đúng thể thức, thu hồi để ban hành lại.' END AS recall_reason,
    s.completed_at,
    CASE WHEN s.inc THEN s.clerk_id ELSE s.spec_ids[1 + s.h % 5] END AS created_by, s.created_at,
    coalesce(s.completed_at, s.assigned_at, s.at) AS updated_at
  FROM bench_stage s JOIN bench_g g ON g.idx = s.u JOIN document_types dt ON dt.code = s.type_code
  WHERE s.n BETWEEN ${from} AND ${to}
) d`;
}

const RETURN_REASON = 'Nội dung không thuộc lĩnh vực phụ trách, đề nghị lãnh đạo giao lại.';
/** Presented documents whose lead handler gave the assignment back (the leader has to assign again). */
const RETURNED = "s.inc AND s.status = 'presented' AND s.p_done < 0.3";

/**
 * Assignments: one lead (a specialist, or for the province a department), 0–2 co-handlers and 0–2
 * for-information recipients per assigned incoming document; statuses follow the document's.
 * A few presented documents carry a lead assignment the handler returned.
 */
export function assignmentsSql(agencies: Agency[], now: string): string {
  const depts = agencies.filter((a) => a.kind === 'department');
  const deptIds = arr(depts.map((d) => d.unitId), 'uuid');
  return `
INSERT INTO assignments (id, document_id, unit_id, role, assignee_user_id, assignee_unit_id, status, due_date, instruction, urgent, assigned_by, assigned_at,
  progress_note, progress_percent, completed_at, result_note, return_reason)
SELECT pg_temp.lt_uuid(assigned_at, n * 8 + slot, 2), id, unit_id, role, assignee_user_id, assignee_unit_id, status, due_date, instruction, urgent, boss_id, assigned_at,
  CASE WHEN status = 'in_progress' AND role = 'lead' THEN ${arr(PROGRESS)}[1 + h % ${PROGRESS.length}] END,
  CASE WHEN status = 'in_progress' AND role = 'lead' THEN 10 * (1 + h % 9) END,
  CASE WHEN status = 'completed' THEN (CASE WHEN role = 'lead' THEN doc_completed_at WHEN role = 'co' THEN greatest(assigned_at + interval '1 hour', doc_completed_at - interval '1 day')
       ELSE assigned_at + interval '2 hours' END) END,
  CASE WHEN status = 'completed' AND role = 'lead' THEN ${arr(RESULTS)}[1 + h % ${RESULTS.length}] END,
  CASE WHEN status = 'returned' THEN '${RETURN_REASON}' END
FROM (
  SELECT s.n, s.h, s.id, s.unit_id, s.boss_id, s.slot, s.completed_at AS doc_completed_at,
    coalesce(s.assigned_at, least(s.at + interval '2 hours', ${lit(now)}::timestamptz - interval '2 hours')) AS assigned_at,
    CASE WHEN s.slot = 0 THEN 'lead' WHEN s.slot <= s.nco THEN 'co' ELSE 'info' END AS role,
    CASE WHEN s.slot = 0 AND s.lead_dept IS NOT NULL THEN NULL
         WHEN s.slot = 0 THEN s.spec_ids[1 + s.h % 5]
         WHEN s.slot <= s.nco AND s.lead_dept IS NOT NULL THEN NULL
         WHEN s.slot <= s.nco THEN s.spec_ids[1 + (s.h + s.slot) % 5]
         WHEN s.slot = s.nco + 1 THEN s.dep_ids[1 + s.h % 2]
         ELSE s.spec_ids[1 + (s.h + 3) % 5] END AS assignee_user_id,
    CASE WHEN s.lead_dept IS NOT NULL AND s.slot = 0 THEN ${deptIds}[s.lead_dept]
         WHEN s.lead_dept IS NOT NULL AND s.slot <= s.nco THEN ${deptIds}[1 + (s.lead_dept + 2 + s.slot) % ${depts.length}] END AS assignee_unit_id,
    CASE WHEN s.status = 'presented' THEN 'returned'
         WHEN s.status = 'completed' THEN 'completed'
         WHEN s.status = 'assigned' THEN 'pending'
         WHEN s.slot = 0 THEN 'in_progress'
         WHEN (s.h / (s.slot + 1)) % 10 < 4 THEN 'pending' WHEN (s.h / (s.slot + 1)) % 10 < 8 THEN 'in_progress' ELSE 'completed' END AS status,
    CASE WHEN s.slot = 0 THEN s.lead_due WHEN s.slot <= s.nco THEN s.lead_due - 1 END AS due_date,
    CASE WHEN s.slot = 0 THEN ${arr(INSTRUCTIONS)}[1 + s.h % ${INSTRUCTIONS.length}] END AS instruction,
    s.urgency <> 'normal' AS urgent
  FROM (
    SELECT st.*, slot FROM bench_stage st
    CROSS JOIN LATERAL generate_series(0, CASE WHEN st.status = 'presented' THEN 0 ELSE st.nco + st.ninfo END) slot
    WHERE st.inc AND (st.status IN ('assigned', 'in_progress', 'completed') OR (${RETURNED.replace(/s\./g, 'st.')}))
  ) s
) a`;
}

/** The timeline: registered → presented → assigned → progress → completed; drafted → submitted → approved → issued (→ recalled). */
export function eventsSql(from: number, to: number): string {
  const step = (k: number, at: string, actor: string, name: string, action: string, text: string, cond: string) => `(${k}, ${at}, ${actor}, ${name}, '${action}', ${text}, ${cond})`;
  return `
INSERT INTO document_events (id, document_id, unit_id, at, actor_id, actor_name, action, text)
SELECT pg_temp.lt_uuid(e.at, s.n * 8 + e.k, 3), s.id, s.unit_id, e.at, e.actor, e.actor_name, e.action, e.text
FROM bench_stage s
CROSS JOIN LATERAL (VALUES
  ${step(0, 's.at', 's.clerk_id', 's.clerk_name', 'registered', 'NULL', 's.inc')},
  ${step(1, "s.at + interval '30 minutes'", 's.clerk_id', 's.clerk_name', 'presented', 'NULL', "s.inc AND s.status <> 'registered'")},
  ${step(2, "coalesce(s.assigned_at, s.at + interval '2 hours')", 's.boss_id', 's.boss_name', 'assigned', `${arr(INSTRUCTIONS)}[1 + s.h % ${INSTRUCTIONS.length}]`, `s.assigned_at IS NOT NULL OR (${RETURNED})`)},
  ${step(3, "s.at + interval '4 hours'", 's.spec_ids[1 + s.h % 5]', 's.spec_names[1 + s.h % 5]', 'returned', `'${RETURN_REASON}'`, RETURNED)},
  ${step(3, 's.assigned_at + (coalesce(s.completed_at, s.assigned_at + interval \'2 hours\') - s.assigned_at) / 2', 's.spec_ids[1 + s.h % 5]', 's.spec_names[1 + s.h % 5]', 'progress', `${arr(PROGRESS)}[1 + s.h % ${PROGRESS.length}]`, "s.status = 'in_progress' OR (s.status = 'completed' AND s.p_done < 0.5)")},
  ${step(4, 's.completed_at', 's.spec_ids[1 + s.h % 5]', 's.spec_names[1 + s.h % 5]', 'completed', `${arr(RESULTS)}[1 + s.h % ${RESULTS.length}]`, "s.status = 'completed'")},
  ${step(0, 's.created_at', 's.spec_ids[1 + s.h % 5]', 's.spec_names[1 + s.h % 5]', 'drafted', 'NULL', 'NOT s.inc')},
  ${step(1, "s.created_at + interval '2 hours'", 's.spec_ids[1 + s.h % 5]', 's.spec_names[1 + s.h % 5]', 'submitted', 'NULL', "NOT s.inc AND s.status <> 'draft'")},
  ${step(2, "s.at - interval '2 hours'", 's.boss_id', 's.boss_name', 'approved', 'NULL', "NOT s.inc AND s.status IN ('approved', 'issued', 'recalled')")},
  ${step(3, 's.at', 's.clerk_id', 's.clerk_name', 'issued', 'NULL', "NOT s.inc AND s.num IS NOT NULL")},
  ${step(4, "s.at + interval '3 days'", 's.boss_id', 's.boss_name', 'recalled', "'Văn bản ban hành chưa đúng thể thức, thu hồi để ban hành lại.'", "s.status = 'recalled'")}
) e(k, at, actor, actor_name, action, text, cond)
WHERE e.cond AND s.n BETWEEN ${from} AND ${to}`;
}

/** Read marks: handlers who started or finished an item have read the document; 40 % of pending ones too. */
export const READS_SQL = `
INSERT INTO document_reads (document_id, user_id, read_at)
SELECT document_id, assignee_user_id, assigned_at + interval '1 hour' FROM assignments
WHERE assignee_user_id IS NOT NULL AND (status <> 'pending' OR ('x' || substr(id::text, 35, 2))::bit(8)::int % 10 < 4)`;

/** Register counters: the last number handed out per book and year, consistent with the documents. */
export const COUNTERS_SQL = `
INSERT INTO register_counters (book_id, year, last_number)
SELECT book_id, year, max(num)::int FROM bench_stage WHERE num IS NOT NULL GROUP BY book_id, year`;
