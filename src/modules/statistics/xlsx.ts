import { formatDate, tableXlsx } from '../documents/index.js';
import type { Figures } from './figures.js';
import type { OfficerFigures } from './officers.js';
import { localDay } from './period.js';
import type { DossierStatistics } from './service.js';

/**
 * The statistics as an .xlsx workbook with Vietnamese headers, one sheet per grouping (receiving unit,
 * procedure, officer), in the layout of the documents module's register books and statistics.
 */

const FIGURE_COLUMNS: [keyof Figures, string][] = [
  ['carriedOver', 'Kỳ trước chuyển sang'],
  ['received', 'Tiếp nhận trong kỳ'],
  ['receivedCounter', 'Trực tiếp'],
  ['receivedOnline', 'Trực tuyến'],
  ['receivedPost', 'Bưu chính công ích'],
  ['done', 'Đã giải quyết'],
  ['doneEarly', 'Trước hạn'],
  ['doneOnTime', 'Đúng hạn'],
  ['doneLate', 'Quá hạn'],
  ['inProcess', 'Đang giải quyết'],
  ['inProcessOverdue', 'Trong đó quá hạn'],
  ['supplementRequested', 'Yêu cầu bổ sung'],
  ['refused', 'Từ chối giải quyết'],
  ['withdrawn', 'Rút hồ sơ'],
  ['stopped', 'Dừng xử lý'],
  ['notAccepted', 'Từ chối tiếp nhận (trực tuyến)'],
  ['onTimeRate', 'Tỷ lệ đúng hạn (%)'],
  ['onlineRate', 'Tỷ lệ trực tuyến (%)'],
];

/** A share 0–1 as a percentage with one decimal (95.2); empty when there is nothing to divide. */
export const percent = (x: number | null): number | null => (x === null ? null : Math.round(x * 1000) / 10);

const numeric = (header: string) => ({ header, width: 12, align: 'right' as const });
const figureCells = (f: Figures) => FIGURE_COLUMNS.map(([k]) => (k === 'onTimeRate' || k === 'onlineRate' ? percent(f[k]) : f[k]));
const officerCells = (o: OfficerFigures) => [o.fullName, o.unitName ?? '', o.received, o.steps, o.stepsEarly, o.stepsOnTime, o.stepsLate, percent(o.onTimeRate)];

export function subtitleOf(s: DossierStatistics): string[] {
  const asOf = new Date(s.asOf);
  const time = new Date(asOf.getTime() + 7 * 3_600_000).toISOString().slice(11, 16);
  const lines = [s.unit.name, `Từ ngày ${formatDate(s.from)} đến ngày ${formatDate(s.to)} — số liệu đến ${time} ngày ${formatDate(localDay(asOf))}`];
  const o = s.satisfaction.overall;
  if (o.ratings > 0) {
    const parts = [`${o.ratings} lượt đánh giá`];
    if (o.satisfiedShare !== null) parts.push(`hài lòng ${percent(o.satisfiedShare)}%`);
    if (o.averageShare !== null) parts.push(`điểm chỉ số bình quân ${percent(o.averageShare)}%`);
    lines.push(`Mức độ hài lòng: ${parts.join(', ')}`);
  }
  return lines;
}

export async function statisticsXlsx(s: DossierStatistics): Promise<Buffer> {
  const subtitle = subtitleOf(s);
  const figures = FIGURE_COLUMNS.map(([, h]) => numeric(h));
  return tableXlsx([
    {
      name: 'Theo don vi',
      title: 'THỐNG KÊ TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH THEO ĐƠN VỊ',
      subtitle,
      columns: [{ header: 'Đơn vị tiếp nhận', width: 36 }, ...figures],
      rows: [...s.byUnit.map((u) => [u.unitName, ...figureCells(u)]), ['Tổng cộng', ...figureCells(s.totals)]],
    },
    {
      name: 'Theo thu tuc',
      title: 'THỐNG KÊ TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH THEO THỦ TỤC',
      subtitle,
      columns: [{ header: 'Mã thủ tục', width: 12 }, { header: 'Tên thủ tục', width: 40 }, { header: 'Lĩnh vực', width: 16 }, ...figures],
      rows: [...s.byProcedure.map((p) => [p.procedureCode, p.procedureName, p.field ?? '', ...figureCells(p)]), ['', 'Tổng cộng', '', ...figureCells(s.totals)]],
    },
    {
      name: 'Theo can bo',
      title: 'THỐNG KÊ XỬ LÝ HỒ SƠ THEO CÁN BỘ (PHIẾU KIỂM SOÁT QUÁ TRÌNH)',
      subtitle,
      columns: [
        { header: 'Cán bộ', width: 28 }, { header: 'Đơn vị', width: 32 }, numeric('Hồ sơ tiếp nhận'), numeric('Bước đã xử lý'),
        numeric('Trước hạn'), numeric('Đúng hạn'), numeric('Quá hạn'), numeric('Tỷ lệ đúng hạn (%)'),
      ],
      rows: s.byOfficer.map(officerCells),
    },
  ]);
}

export const exportFileName = (s: Pick<DossierStatistics, 'from' | 'to'>) => `thong-ke-mot-cua_${s.from}_${s.to}.xlsx`;
