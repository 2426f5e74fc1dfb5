/**
 * The satisfaction questions as data. The 9 indicators of the evaluation of administrative procedure
 * handling (Decree 61/2018/NĐ-CP art. 33 and Circular 01/2018/TT-VPCP, kept by Decree 118/2025), each
 * scored 0, 1 or 2 points by the applicant; and the overall 5-level satisfaction rating. The order of
 * INDICATORS is the order of `dossier_ratings.scores`.
 */

export type Indicator = { key: string; label: string; options: [string, string, string] }; // options[i] = the answer worth i points

export const INDICATORS: readonly Indicator[] = [
  { key: 'total-time', label: 'Tổng thời gian giải quyết thủ tục hành chính so với thời gian theo quy định của pháp luật', options: ['Trễ hẹn', 'Đúng hẹn', 'Sớm hơn hẹn'] },
  { key: 'unit-time', label: 'Thời gian thực hiện của từng cơ quan, đơn vị tham gia giải quyết so với quy định', options: ['Có cơ quan, đơn vị trễ hạn', 'Đúng hạn', 'Sớm hơn hạn'] },
  { key: 'contacts', label: 'Số lần phải liên hệ với nơi tiếp nhận hồ sơ để hoàn thiện hồ sơ', options: ['Từ 3 lần trở lên', '2 lần', 'Không quá 1 lần'] },
  { key: 'agencies', label: 'Số lượng cơ quan, đơn vị, tổ chức phải liên hệ để hoàn thiện hồ sơ', options: ['Từ 3 nơi trở lên', '2 nơi', 'Chỉ Bộ phận Một cửa'] },
  { key: 'one-stop', label: 'Thực hiện tiếp nhận hồ sơ, giải quyết, trả kết quả tại Bộ phận Một cửa (hoặc trực tuyến) theo quy định', options: ['Phải liên hệ ngoài Bộ phận Một cửa', 'Có lúc chưa đúng quy định', 'Đúng quy định'] },
  { key: 'disclosure', label: 'Mức độ công khai thủ tục hành chính (thành phần hồ sơ, thời hạn, phí, lệ phí, mẫu đơn)', options: ['Không công khai', 'Công khai chưa đầy đủ', 'Công khai đầy đủ, dễ tìm'] },
  { key: 'feedback', label: 'Tiếp thu, giải trình ý kiến phản ánh, kiến nghị của người dân', options: ['Không được tiếp thu, trả lời', 'Được trả lời nhưng chậm', 'Được tiếp thu, trả lời kịp thời'] },
  { key: 'online', label: 'Tiến độ và chất lượng cung cấp dịch vụ công trực tuyến', options: ['Không dùng được', 'Dùng được nhưng còn khó khăn', 'Thuận tiện, đúng tiến độ'] },
  { key: 'satisfaction', label: 'Mức độ hài lòng chung về việc giải quyết thủ tục hành chính', options: ['Không hài lòng', 'Bình thường', 'Hài lòng'] },
];

export const INDICATOR_COUNT = INDICATORS.length;
export const MAX_TOTAL = INDICATOR_COUNT * 2;

/** Overall satisfaction, 5 = very satisfied … 1 = very dissatisfied. */
export const LEVELS: readonly { value: 1 | 2 | 3 | 4 | 5; label: string }[] = [
  { value: 5, label: 'Rất hài lòng' },
  { value: 4, label: 'Hài lòng' },
  { value: 3, label: 'Bình thường' },
  { value: 2, label: 'Không hài lòng' },
  { value: 1, label: 'Rất không hài lòng' },
];

export const levelLabel = (n: number | null | undefined): string | null => LEVELS.find((l) => l.value === n)?.label ?? null;
