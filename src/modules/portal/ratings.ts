import { sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { AppError, forbidden, validationFailed, type FieldError } from '../../core/errors/index.js';
import { isUuid } from '../../core/ids/index.js';
import { type DossierRow, findDossier, readableDossier, STATUS } from '../dossiers/index.js';
import { INDICATOR_COUNT, levelLabel, MAX_TOTAL } from './indicators.js';
import { dossierRatings } from './schema.js';

/**
 * Satisfaction ratings: given once per dossier, by its applicant, after the result was returned
 * (status 10). Aggregated per receiving unit for the unit's officials and statistics.
 */

export type RatingInput = { scores?: number[] | null; level?: number | null; comment?: string | null };
export type Rating = {
  dossierId: string;
  code: string | null;
  kind: 'indicators' | 'simple';
  scores: number[] | null;
  total: number | null;
  level: number | null;
  levelLabel: string | null;
  comment: string | null;
  ratedAt: string;
};

/** Is the principal the applicant of the dossier (the citizen's account that submitted or is named on it)? */
export const isApplicant = (p: Principal, d: Pick<DossierRow, 'applicantUserId' | 'createdBy'>): boolean =>
  p.kind === 'citizen' && (d.applicantUserId === p.userId || d.createdBy === p.userId);

/** Checks the answers; returns them cleaned (NFC comment, integers). */
export function ratingProblems(input: RatingInput): { errors: FieldError[]; scores: number[] | null; level: number | null; comment: string | null } {
  const errors: FieldError[] = [];
  const scores = input.scores && input.scores.length > 0 ? input.scores : null;
  if (scores) {
    if (scores.length !== INDICATOR_COUNT) errors.push({ field: 'scores', message: `Chấm đủ ${INDICATOR_COUNT} chỉ số (hoặc bỏ trống tất cả).` });
    scores.forEach((s, i) => {
      if (!Number.isInteger(s) || s < 0 || s > 2) errors.push({ field: `scores.${i}`, message: 'Mỗi chỉ số được chấm 0, 1 hoặc 2 điểm.' });
    });
  }
  const level = input.level ?? null;
  if (level !== null && (!Number.isInteger(level) || level < 1 || level > 5)) errors.push({ field: 'level', message: 'Chọn một trong năm mức độ hài lòng.' });
  if (!scores && level === null) errors.push({ field: 'level', message: 'Chọn mức độ hài lòng (hoặc chấm điểm các chỉ số).' });
  const comment = input.comment?.normalize('NFC').trim() || null;
  if (comment && comment.length > 2000) errors.push({ field: 'comment', message: 'Ý kiến dài tối đa 2.000 ký tự.' });
  return { errors, scores, level, comment };
}

type RatingRaw = { dossier_id: string; code: string | null; kind: 'indicators' | 'simple'; scores: number[] | string | null; total: number | null; level: number | null; comment: string | null; rated_at: Date | string };

// PGlite and pg return smallint[] as arrays; a text form '{1,2}' is parsed just in case.
const arrayOf = (v: number[] | string | null): number[] | null => (v == null ? null : Array.isArray(v) ? v.map(Number) : v.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number));

const present = (r: RatingRaw): Rating => ({
  dossierId: r.dossier_id,
  code: r.code,
  kind: r.kind,
  scores: arrayOf(r.scores),
  total: r.total,
  level: r.level,
  levelLabel: levelLabel(r.level),
  comment: r.comment,
  ratedAt: new Date(r.rated_at).toISOString(),
});

export async function ratingOf(db: Db, dossierId: string): Promise<Rating | null> {
  if (!isUuid(dossierId)) return null;
  const [r] = await queryRows<RatingRaw>(
    db,
    sql`SELECT r.dossier_id, d.code, r.kind, r.scores, r.total, r.level, r.comment, r.rated_at FROM dossier_ratings r JOIN dossiers d ON d.id = r.dossier_id WHERE r.dossier_id = ${dossierId}`,
  );
  return r ? present(r) : null;
}

/** The applicant's own dossier with this code (for the rating page), or undefined. */
export async function applicantDossierByCode(db: Db, p: Principal, code: string): Promise<DossierRow | undefined> {
  const c = code.trim().toUpperCase();
  if (p.kind !== 'citizen' || !/^[0-9A-Z.]{1,40}-\d{6}-\d{4,6}$/.test(c)) return undefined;
  const [row] = await queryRows<{ id: string }>(db, sql`SELECT id FROM dossiers WHERE code = ${c} AND (applicant_user_id = ${p.userId} OR created_by = ${p.userId})`);
  return row ? findDossier(db, row.id) : undefined;
}

/** Why this applicant may not rate this dossier now (null when they may). */
export function cannotRate(p: Principal, d: DossierRow, existing: Rating | null): AppError | null {
  if (!isApplicant(p, d)) return forbidden('Chỉ người nộp hồ sơ được đánh giá mức độ hài lòng.');
  if (d.status !== STATUS.returned) return new AppError(409, 'not-returned', 'Hồ sơ chưa trả kết quả', 'Chỉ đánh giá được sau khi đã nhận kết quả giải quyết.');
  if (existing) return new AppError(409, 'already-rated', 'Hồ sơ đã được đánh giá', 'Mỗi hồ sơ chỉ được đánh giá một lần.');
  return null;
}

/** The applicant rates a returned dossier, once; audited in the same transaction. */
export async function rateDossier(db: Db, p: Principal, dossierId: string, input: RatingInput, ctx: ActorContext): Promise<Rating> {
  const d = await readableDossier(db, p, dossierId); // 404 for whoever may not read it
  const refused = cannotRate(p, d, await ratingOf(db, d.id));
  if (refused) throw refused;
  const { errors, scores, level, comment } = ratingProblems(input);
  if (errors.length) throw validationFailed(errors);
  const total = scores ? scores.reduce((a, b) => a + b, 0) : null;
  await inTransaction(db, async (tx) => {
    const inserted = await tx
      .insert(dossierRatings)
      .values({
        dossierId: d.id, unitId: d.unitId, decidingUnitId: d.currentUnitId, procedureId: d.procedureId, kind: scores ? 'indicators' : 'simple',
        scores, total, level, comment, ratedBy: p.userId, ratedAt: ctx.now,
      })
      .onConflictDoNothing()
      .returning({ id: dossierRatings.dossierId });
    if (inserted.length === 0) throw new AppError(409, 'already-rated', 'Hồ sơ đã được đánh giá', 'Mỗi hồ sơ chỉ được đánh giá một lần.');
    await writeAudit(tx, ctx, {
      action: 'dossier.rated',
      objectType: 'dossier',
      objectId: d.id,
      unitId: d.unitId,
      summary: { code: d.code, kind: scores ? 'indicators' : 'simple', ...(total !== null ? { total } : {}), ...(level !== null ? { level } : {}), comment: !!comment },
    });
  });
  return (await ratingOf(db, d.id))!;
}

export type RatingSummary = {
  unitId: string | null; // null: all the units asked for together
  unitName: string | null;
  ratings: number;
  withIndicators: number;
  /** Average points per indicator (0–2), in the order of INDICATORS; null without indicator ratings. */
  indicatorAverages: (number | null)[];
  /** Average total of the indicator ratings (0–18) and as a share of the maximum (0–1). */
  averageTotal: number | null;
  averageShare: number | null;
  withLevel: number;
  /** How many ratings gave each overall level, 5 (rất hài lòng) … 1. */
  levels: Record<'1' | '2' | '3' | '4' | '5', number>;
  /** Share of the overall ratings that are "hài lòng" or "rất hài lòng" (0–1). */
  satisfiedShare: number | null;
};

type SummaryRaw = { unit_id: string | null; unit_name: string | null; grouped: number; n: number; with_scores: number; avg_total: number | string | null; with_level: number; satisfied: number } & Record<string, number | string | null>;

const round = (x: number | string | null, digits = 3): number | null => (x == null ? null : Math.round(Number(x) * 10 ** digits) / 10 ** digits);

/**
 * Ratings given in [from, to) for dossiers received by these units: one entry per unit that has
 * ratings, then the entry for all of them together (unitId null). Statistics read this.
 */
export async function ratingSummary(db: Db, unitIds: string[], from: Date, to: Date): Promise<RatingSummary[]> {
  const ids = unitIds.filter(isUuid);
  if (ids.length === 0) return [];
  const perIndicator = Array.from({ length: INDICATOR_COUNT }, (_, i) => sql.raw(`avg(r.scores[${i + 1}])::float8 AS s${i + 1}`));
  const perLevel = [1, 2, 3, 4, 5].map((l) => sql.raw(`count(*) FILTER (WHERE r.level = ${l})::int AS l${l}`));
  const rows = await queryRows<SummaryRaw>(
    db,
    sql`SELECT r.unit_id, min(u.name) AS unit_name, grouping(r.unit_id)::int AS grouped, count(*)::int AS n,
               count(*) FILTER (WHERE r.scores IS NOT NULL)::int AS with_scores, avg(r.total)::float8 AS avg_total,
               count(*) FILTER (WHERE r.level IS NOT NULL)::int AS with_level, count(*) FILTER (WHERE r.level >= 4)::int AS satisfied,
               ${sql.join(perIndicator, sql`, `)}, ${sql.join(perLevel, sql`, `)}
          FROM dossier_ratings r JOIN units u ON u.id = r.unit_id
         WHERE r.unit_id = ANY(${`{${ids.join(',')}}`}::uuid[]) AND r.rated_at >= ${from.toISOString()} AND r.rated_at < ${to.toISOString()}
         GROUP BY GROUPING SETS ((r.unit_id), ())
         ORDER BY grouping(r.unit_id), min(u.name)`,
  );
  const out = rows.map((r) => ({
    unitId: r.grouped ? null : r.unit_id,
    unitName: r.grouped ? null : r.unit_name,
    ratings: r.n,
    withIndicators: r.with_scores,
    indicatorAverages: Array.from({ length: INDICATOR_COUNT }, (_, i) => round(r[`s${i + 1}`])),
    averageTotal: round(r.avg_total, 2),
    averageShare: r.avg_total == null ? null : round(Number(r.avg_total) / MAX_TOTAL),
    withLevel: r.with_level,
    levels: { '1': Number(r.l1), '2': Number(r.l2), '3': Number(r.l3), '4': Number(r.l4), '5': Number(r.l5) },
    satisfiedShare: r.with_level ? round(r.satisfied / r.with_level) : null,
  }));
  // No ratings at all: still one (empty) overall entry, so callers need not special-case it.
  if (out.length === 0) return [emptySummary()];
  return out;
}

export const emptySummary = (): RatingSummary => ({
  unitId: null, unitName: null, ratings: 0, withIndicators: 0, indicatorAverages: Array.from({ length: INDICATOR_COUNT }, () => null), averageTotal: null, averageShare: null,
  withLevel: 0, levels: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 }, satisfiedShare: null,
});

