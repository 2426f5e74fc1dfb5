/**
 * Set-based SQL of the dossier dataset generator (bench/dossiers-generate.ts): a staging table with every
 * random choice made once per dossier and the times that follow from them, then INSERT … SELECT into
 * dossiers, dossier_actions (the history: submit/receive or accept, supplement request and supplement,
 * the hand-overs of the internal process with each step's outcome, complete, return, or a refusal,
 * withdrawal or stop), dossier_units and the code counters. Uses pg_temp.lt_uuid from documents-sql.ts.
 *
 * Simplifications (stated in docs/benchmarks.md): working days skip weekends but not holidays; a
 * step's due time is its share of the time between reception and the due time.
 */
import { FAMILY, GIVEN_FEMALE, GIVEN_MALE, MIDDLE_FEMALE, MIDDLE_MALE } from './documents-data.js';
import { lit } from './documents-sql.js';

const arr = (xs: string[]) => `(ARRAY[${xs.map(lit).join(',')}]::text[])`;

/** (procedure, case) pairs the generator draws from: weight, time limit in working days (0 = same day), channels. */
export type ProcedureCase = { code: string; caseKey: string; weight: number; days: number; online: boolean; post: boolean };
export const PROCEDURE_CASES: ProcedureCase[] = [
  { code: '1.001193', caseKey: 'th1', weight: 27, days: 0, online: true, post: false }, // khai sinh
  { code: '1.001193', caseKey: 'th2', weight: 3, days: 0, online: true, post: false },
  { code: '1.000894', caseKey: 'th1', weight: 6, days: 0, online: true, post: false }, // kết hôn
  { code: '1.000894', caseKey: 'th2', weight: 3, days: 5, online: true, post: false },
  { code: '2.000635', caseKey: 'th1', weight: 18, days: 0, online: true, post: true }, // bản sao trích lục
  { code: '2.000815', caseKey: 'th1', weight: 28, days: 0, online: true, post: false }, // chứng thực bản sao
  { code: '2.000884', caseKey: 'th1', weight: 11, days: 0, online: false, post: false }, // chứng thực chữ ký
  { code: '2.000488', caseKey: 'th1', weight: 4, days: 10, online: true, post: false }, // lý lịch tư pháp
];

/** Local wall time (a timestamp without zone, Hà Nội) → timestamptz. */
const tz = (local: string) => `((${local}) - interval '7 hours') AT TIME ZONE 'UTC'`;
/** The local date of a timestamptz. */
const ld = (t: string) => `(((${t}) AT TIME ZONE 'UTC') + interval '7 hours')::date`;
/** A date plus n working days (Monday–Friday; the date itself is a weekday). */
const addWd = (d: string, n: string) => `(${d} + ${n} + 2 * ((extract(isodow FROM ${d})::int - 1 + ${n}) / 5))`;

export type StageConfig = { count: number; today: string; now: string; departments: number[]; communes: number[] };

/**
 * bench_stage: one row per dossier. bench_g (agencies), bench_desk (their one-stop officer), bench_pc
 * (procedure cases, k = 1…) and bench_v (versions with their validity) must exist.
 */
export function stageSql(c: StageConfig): string {
  const deptShare = (c.departments.length * 3) / (c.departments.length * 3 + c.communes.length);
  const pcWeights = PROCEDURE_CASES.map((p) => p.weight);
  const pcTotal = pcWeights.reduce((a, b) => a + b, 0);
  // Cumulative weights → a CASE picking k.
  let acc = 0;
  const pick = PROCEDURE_CASES.map((_, i) => `WHEN p_pc < ${(acc += pcWeights[i]) / pcTotal} THEN ${i + 1}`).join(' ');
  const now = `${lit(c.now)}::timestamptz`;
  // Most results are handed back within hours, some when the citizen comes days later.
  const ret = `make_interval(mins => CASE WHEN p_ret < 0.7 THEN floor(p_ret * 300)::int ELSE floor(p_ret * 4000)::int END)`;
  return `
CREATE TEMP TABLE bench_stage AS
WITH r0 AS (
  SELECT n,
    CASE WHEN random() < ${deptShare} THEN (${lit(`{${c.departments.join(',')}}`)}::int[])[1 + floor(random() * ${c.departments.length})::int]
         ELSE (${lit(`{${c.communes.join(',')}}`)}::int[])[1 + floor(random() * ${c.communes.length})::int] END AS u,
    ${lit(c.today)}::date - floor(random() * 365)::int AS d0, 450 + floor(random() * 540)::int AS minute,
    random() AS p_pc, random() AS p_ch, random() AS p_out, random() AS p_close, random() AS p_sup, random() AS p_t, random() AS p_ret, random() AS p_misc,
    floor(random() * 1000000000)::bigint AS h
  FROM generate_series(1, ${c.count}) n
), r1 AS (
  SELECT r0.*, CASE ${pick} ELSE ${PROCEDURE_CASES.length} END AS k,
    d0 - CASE extract(isodow FROM d0)::int WHEN 6 THEN 1 WHEN 7 THEN 2 ELSE 0 END AS rd
  FROM r0
), r2 AS (
  SELECT r1.*, pc.procedure_id, pc.case_key, pc.days,
    CASE WHEN pc.online AND p_ch < 0.38 THEN 'online' WHEN pc.post AND p_ch < 0.55 THEN 'post' ELSE 'counter' END AS channel,
    least(${tz(`rd + make_interval(mins => minute)`)}, ${now} - interval '10 minutes') AS rat
  FROM r1 JOIN bench_pc pc ON pc.k = r1.k
), r3 AS (
  SELECT r2.*, ${ld('rat')} AS rday,
    CASE WHEN days > 0 THEN ${addWd(ld('rat'), 'days')}
         WHEN extract(hour FROM (rat AT TIME ZONE 'UTC') + interval '7 hours') >= 15 THEN ${addWd(ld('rat'), '1')} ELSE ${ld('rat')} END AS due_day
  FROM r2
), r4 AS (
  SELECT r3.*, ${tz(`due_day + time '17:00'`)} AS due_at,
    CASE WHEN p_close < 0.03 THEN 3 WHEN p_close < 0.05 THEN 7 WHEN p_close < 0.06 THEN 8 END AS closed_as,
    p_sup < 0.06 AND p_close >= 0.06 AS sup
  FROM r3
), r5 AS (
  SELECT r4.*,
    CASE WHEN sup THEN rat + interval '1 hour' END AS pause_from,
    CASE WHEN sup THEN rat + make_interval(hours => 20 + floor(p_misc * 70)::int) END AS pause_to,
    CASE WHEN closed_as IS NOT NULL THEN rat + make_interval(mins => 60 + floor(p_t * 2800)::int) END AS closed_at0,
    -- Done: 9 % late (1–4 days after the due date), same-day limits on the day, longer ones early or on the due date.
    CASE WHEN p_out < 0.09 THEN ${tz(`${addWd('due_day', '1 + floor(p_t * 4)::int')} + time '09:30'`)}
         WHEN days = 0 THEN rat + make_interval(mins => 90 + floor(p_t * 240)::int)
         WHEN p_out < 0.45 THEN ${tz(`due_day + time '14:00'`)}
         ELSE rat + (due_at - rat) * (0.15 + 0.55 * p_t) END AS done0
  FROM r4
), r6 AS (
  SELECT r5.*,
    CASE WHEN sup THEN done0 + (pause_to - pause_from) ELSE done0 END AS done_at1,
    CASE WHEN sup THEN due_at + (pause_to - pause_from) ELSE due_at END AS due_at1
  FROM r5
)
SELECT r6.*, g.unit_id, g.agency_code, g.spec_ids[1 + (h % 5)::int] AS spec_id, g.spec_names[1 + (h % 5)::int] AS spec_name,
  CASE WHEN h % 4 = 0 THEN g.dep_ids[1 + (h / 4 % 2)::int] ELSE g.leader_id END AS boss_id,
  CASE WHEN h % 4 = 0 THEN g.dep_names[1 + (h / 4 % 2)::int] ELSE g.leader_name END AS boss_name,
  k.desk_id, k.desk_name, g.issuer_name AS unit_name,
  CASE WHEN channel = 'online' THEN rat - make_interval(mins => 30 + floor(p_misc * 400)::int) END AS submitted_at,
  CASE WHEN closed_as IS NULL AND done_at1 <= ${now} THEN done_at1 END AS completed_at,
  CASE WHEN closed_as IS NULL AND done_at1 + ${ret} <= ${now} THEN done_at1 + ${ret} END AS returned_at,
  CASE WHEN closed_at0 <= ${now} THEN closed_at0 END AS closed_at,
  -- Hand-over times: at 10 %, 55 % and 80 % of the way from reception to the result.
  rat + (done_at1 - rat) * 0.10 AS t1, rat + (done_at1 - rat) * 0.55 AS t2, rat + (done_at1 - rat) * 0.80 AS t3,
  -- Step due times: 1/8, 5/8, 7/8 and all of the time allowed.
  rat + (due_at1 - rat) * 0.125 AS s1, rat + (due_at1 - rat) * 0.625 AS s2, rat + (due_at1 - rat) * 0.875 AS s3,
  ${arr(FAMILY)}[1 + (h % ${FAMILY.length})::int] || ' ' ||
    CASE WHEN h / 7 % 2 = 0 THEN ${arr(MIDDLE_MALE)}[1 + (h / 11 % ${MIDDLE_MALE.length})::int] || ' ' || ${arr(GIVEN_MALE)}[1 + (h / 13 % ${GIVEN_MALE.length})::int]
         ELSE ${arr(MIDDLE_FEMALE)}[1 + (h / 11 % ${MIDDLE_FEMALE.length})::int] || ' ' || ${arr(GIVEN_FEMALE)}[1 + (h / 13 % ${GIVEN_FEMALE.length})::int] END AS applicant_name,
  '0' || lpad((h * 7919 % 100000000000)::text, 11, '0') AS id_number,
  pg_temp.lt_uuid(coalesce(CASE WHEN channel = 'online' THEN rat - interval '1 hour' END, rat), n, 21) AS id,
  row_number() OVER (PARTITION BY g.unit_id, rday ORDER BY rat, n) AS num
FROM r6 JOIN bench_g g ON g.idx = r6.u JOIN bench_desk k ON k.idx = r6.u`;
}

/** The outcome of a step done at `at`, due at `due`, by local date (DOMAIN.md). */
const outcome = (at: string, due: string) => `CASE WHEN ${ld(at)} < ${ld(due)} THEN 'early' WHEN ${ld(at)} = ${ld(due)} THEN 'on_time' ELSE 'late' END`;

export function dossiersSql(a: number, b: number, now: string): string {
  const n = `${lit(now)}::timestamptz`;
  const finished = `coalesce(s.completed_at, s.closed_at)`;
  // Where an open dossier stands: paused, or at the step after the last hand-over done by now.
  const paused = `(s.sup AND s.pause_to > ${n} AND s.closed_at IS NULL)`;
  const step = `CASE WHEN s.t3 <= ${n} THEN 4 WHEN s.t2 <= ${n} THEN 3 WHEN s.t1 <= ${n} THEN 2 ELSE 1 END`;
  return `
INSERT INTO dossiers (id, unit_id, current_unit_id, procedure_id, procedure_version_id, case_key, channel, code, status, applicant, applicant_name, applicant_id_number,
  submitted_at, received_at, time_limit, first_due_at, due_at, paused_at, paused_from_status, pauses, step_position, step_name, step_started_at, step_due_at,
  holder_user_id, holder_unit_id, holder_role, approved_at, completed_at, returned_at, return_method, closed_at, created_by, created_at, updated_at)
SELECT s.id, s.unit_id, s.unit_id, s.procedure_id, v.id, s.case_key, s.channel,
  s.agency_code || '-' || to_char(s.rday, 'YYMMDD') || '-' || lpad(s.num::text, 4, '0'),
  CASE WHEN s.closed_at IS NOT NULL THEN s.closed_as WHEN s.returned_at IS NOT NULL THEN 10 WHEN s.completed_at IS NOT NULL THEN 9 WHEN ${paused} THEN 5
       WHEN ${step} = 1 THEN 2 ELSE 4 END,
  jsonb_build_object('name', s.applicant_name, 'idNumber', s.id_number, 'phone', '09' || lpad((s.h % 100000000)::text, 8, '0'), 'email', NULL, 'address', 'Thôn ' || (1 + s.h % 12) || ', ' || s.unit_name),
  s.applicant_name, s.id_number, s.submitted_at, s.rat,
  CASE WHEN s.days = 0 THEN '{"unit":"same-day"}'::jsonb ELSE jsonb_build_object('unit', 'working-days', 'amount', s.days) END,
  s.due_at, s.due_at1,
  CASE WHEN ${paused} AND ${finished} IS NULL THEN s.pause_from END, CASE WHEN ${paused} AND ${finished} IS NULL THEN 2 END,
  CASE WHEN NOT s.sup OR s.pause_from > ${n} THEN '[]'::jsonb
       ELSE jsonb_build_array(jsonb_build_object('from', to_char(s.pause_from AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                                 'to', CASE WHEN s.pause_to <= ${n} THEN to_char(s.pause_to AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END)) END,
  CASE WHEN ${finished} IS NULL THEN ${step} END,
  CASE WHEN ${finished} IS NULL THEN (ARRAY['Tiếp nhận, kiểm tra hồ sơ tại Bộ phận Một cửa', 'Thẩm định, đề xuất', 'Lãnh đạo xem xét, ký', 'Trả kết quả'])[${step}] END,
  CASE WHEN ${finished} IS NULL THEN (ARRAY[s.rat, s.t1, s.t2, s.t3])[${step}] END,
  CASE WHEN ${finished} IS NULL THEN (ARRAY[s.s1, s.s2, s.s3, s.due_at1])[${step}] END,
  CASE WHEN ${finished} IS NULL THEN (ARRAY[s.desk_id, s.spec_id, NULL, NULL])[${step}] END,
  CASE WHEN ${finished} IS NULL AND ${step} >= 3 THEN s.unit_id END,
  CASE WHEN ${finished} IS NULL THEN (ARRAY['onestop_officer', 'specialist', 'leader', 'onestop_officer'])[${step}] END,
  CASE WHEN s.closed_at IS NULL AND s.t3 <= ${n} THEN s.t3 END, s.completed_at, s.returned_at,
  CASE WHEN s.returned_at IS NOT NULL THEN 'counter' END, coalesce(s.closed_at, s.returned_at),
  CASE WHEN s.channel = 'online' THEN NULL ELSE s.desk_id END, coalesce(s.submitted_at, s.rat),
  greatest(s.rat, s.closed_at, s.returned_at, s.completed_at, CASE WHEN s.t3 <= ${n} THEN s.t3 END)
FROM bench_stage s JOIN bench_v v ON v.procedure_id = s.procedure_id AND s.rat >= v.valid_from AND s.rat < v.valid_to
WHERE s.n BETWEEN ${a} AND ${b}`;
}

export function actionsSql(a: number, b: number, now: string): string {
  const n = `${lit(now)}::timestamptz`;
  const flow = `s.closed_at IS NULL`;
  return `
INSERT INTO dossier_actions (id, dossier_id, seq, unit_id, at, actor_id, actor_name, actor_kind, action, from_status, to_status, step_position, step_name,
  to_user_id, to_user_name, to_unit_id, to_unit_name, step_due_at, step_outcome, reason, form_number)
SELECT pg_temp.lt_uuid(x.at, s.n * 16 + x.slot, 22), s.id, row_number() OVER (PARTITION BY s.id ORDER BY x.slot), s.unit_id, x.at, x.actor_id, x.actor_name, x.kind, x.action,
  x.from_status, x.to_status, x.step, x.step_name, x.to_user_id, x.to_user_name, x.to_unit_id, x.to_unit_name, x.step_due, x.outcome, x.reason, x.form
FROM bench_stage s
CROSS JOIN LATERAL (VALUES
  (1, s.channel = 'online', s.submitted_at, NULL::uuid, s.applicant_name, 'citizen', 'submit', NULL::int, 1, NULL::int, NULL, NULL::uuid, NULL, NULL::uuid, NULL, NULL::timestamptz, NULL, NULL, NULL),
  (2, true, s.rat, s.desk_id, s.desk_name, 'official', CASE WHEN s.channel = 'online' THEN 'accept' ELSE 'receive' END, CASE WHEN s.channel = 'online' THEN 1 END, 2, 1,
     'Tiếp nhận, kiểm tra hồ sơ tại Bộ phận Một cửa', s.desk_id, s.desk_name, NULL, NULL, s.s1, NULL, NULL, CASE WHEN s.channel = 'online' THEN NULL ELSE '01' END),
  (3, s.sup AND s.pause_from <= ${n}, s.pause_from, s.desk_id, s.desk_name, 'official', 'request-supplement', 2, 5, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     'Thiếu giấy tờ theo quy định', '02'),
  (4, s.sup AND s.pause_to <= ${n}, s.pause_to, s.desk_id, s.desk_name, 'official', 'supplement', 5, 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (5, s.closed_at IS NOT NULL, s.closed_at, CASE WHEN s.closed_as = 8 THEN s.boss_id ELSE s.desk_id END, CASE WHEN s.closed_as = 8 THEN s.boss_name ELSE s.desk_name END, 'official',
     CASE s.closed_as WHEN 3 THEN 'refuse' WHEN 7 THEN 'withdraw' ELSE 'stop' END, 2, s.closed_as, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     CASE s.closed_as WHEN 3 THEN 'Hồ sơ không đủ điều kiện giải quyết' WHEN 7 THEN 'Công dân xin rút hồ sơ' ELSE 'Người yêu cầu không còn đủ điều kiện' END,
     CASE s.closed_as WHEN 3 THEN '03' WHEN 8 THEN '05' END),
  (6, ${flow} AND s.t1 <= ${n}, s.t1, s.desk_id, s.desk_name, 'official', 'forward', 2, 4, 2, 'Thẩm định, đề xuất', s.spec_id, s.spec_name, NULL, NULL, s.s2, ${outcome('s.t1', 's.s1')}, NULL, NULL),
  (7, ${flow} AND s.t2 <= ${n}, s.t2, s.spec_id, s.spec_name, 'official', 'forward', 4, 4, 3, 'Lãnh đạo xem xét, ký', NULL, NULL, s.unit_id, s.unit_name, s.s3, ${outcome('s.t2', 's.s2')}, NULL, NULL),
  (8, ${flow} AND s.t3 <= ${n}, s.t3, s.boss_id, s.boss_name, 'official', 'approve', 4, 4, 4, 'Trả kết quả', NULL, NULL, s.unit_id, s.unit_name, s.due_at1, ${outcome('s.t3', 's.s3')}, NULL, NULL),
  (9, s.completed_at IS NOT NULL, s.completed_at, s.desk_id, s.desk_name, 'official', 'complete', 4, 9, 4, 'Trả kết quả', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (10, s.returned_at IS NOT NULL, s.returned_at, s.desk_id, s.desk_name, 'official', 'return', 9, 10, NULL, NULL, NULL, NULL, NULL, NULL, NULL, ${outcome('s.returned_at', 's.due_at1')}, NULL, NULL)
) AS x(slot, happened, at, actor_id, actor_name, kind, action, from_status, to_status, step, step_name, to_user_id, to_user_name, to_unit_id, to_unit_name, step_due, outcome, reason, form)
WHERE x.happened AND s.n BETWEEN ${a} AND ${b}`;
}

export const UNITS_SQL = `INSERT INTO dossier_units (dossier_id, unit_id, part, since) SELECT id, unit_id, 'receiving', rat FROM bench_stage`;
export const COUNTERS_SQL = `INSERT INTO dossier_code_counters (unit_id, day, last_number) SELECT unit_id, rday, max(num) FROM bench_stage GROUP BY unit_id, rday`;
