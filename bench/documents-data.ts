/**
 * Vocabulary of the province-sized document dataset (bench/documents-generate.ts): agencies, people's
 * names, issuers, subject templates and nouns. Realistic Vietnamese, NFC, so that full-text search meets
 * the selectivity it would meet in a real province (common words like "công văn" in a third of the
 * documents, a commune's name or "khai sinh" in a small fraction).
 */

export type Department = { name: string; short: string; divisions: string[] };

/** Provincial departments and boards under the province's people's committee (after the 2025 reorganisation). */
export const DEPARTMENTS: Department[] = [
  { name: 'Sở Nội vụ', short: 'SNV', divisions: ['TCCB', 'XDCQ', 'VP'] },
  { name: 'Sở Tư pháp', short: 'STP', divisions: ['XDVB', 'HCTP', 'VP'] },
  { name: 'Sở Tài chính', short: 'STC', divisions: ['QLNS', 'TCĐT', 'VP'] },
  { name: 'Sở Xây dựng', short: 'SXD', divisions: ['QLXD', 'QHKT', 'VP'] },
  { name: 'Sở Nông nghiệp và Môi trường', short: 'SNNMT', divisions: ['QLĐĐ', 'TL', 'VP'] },
  { name: 'Sở Y tế', short: 'SYT', divisions: ['NVY', 'KHTC', 'VP'] },
  { name: 'Sở Giáo dục và Đào tạo', short: 'SGDĐT', divisions: ['GDPT', 'TCCB', 'VP'] },
  { name: 'Sở Công Thương', short: 'SCT', divisions: ['QLTM', 'QLCN', 'VP'] },
  { name: 'Sở Khoa học và Công nghệ', short: 'SKHCN', divisions: ['CĐS', 'QLKH', 'VP'] },
  { name: 'Sở Văn hóa, Thể thao và Du lịch', short: 'SVHTTDL', divisions: ['QLVH', 'QLDL', 'VP'] },
  { name: 'Sở Dân tộc và Tôn giáo', short: 'SDTTG', divisions: ['CSDT', 'TG', 'VP'] },
  { name: 'Thanh tra tỉnh', short: 'TTr', divisions: ['NV1', 'NV2', 'VP'] },
  { name: 'Ban Quản lý các khu công nghiệp tỉnh', short: 'BQLKCN', divisions: ['QLĐT', 'QLMT', 'VP'] },
  { name: 'Sở Ngoại vụ', short: 'SNgV', divisions: ['LS', 'HTQT', 'VP'] },
  { name: 'Ban Quản lý dự án đầu tư xây dựng tỉnh', short: 'BQLDA', divisions: ['KHKT', 'ĐHDA', 'HCTH'] },
  { name: 'Trung tâm Phục vụ hành chính công tỉnh', short: 'TTPVHCC', divisions: ['TNTKQ', 'HCTH'] },
  { name: 'Đài Phát thanh và Truyền hình tỉnh', short: 'PTTH', divisions: ['TS', 'HCTH'] },
  { name: 'Trường Chính trị tỉnh', short: 'TCT', divisions: ['ĐT', 'HCTC'] },
  { name: 'Ban Quản lý Khu kinh tế tỉnh', short: 'BQLKKT', divisions: ['QLĐT', 'VP'] },
  { name: 'Quỹ Đầu tư phát triển tỉnh', short: 'QĐTPT', divisions: ['TD', 'HCTH'] },
];

const FIRST = ['Tân', 'An', 'Phú', 'Bình', 'Hòa', 'Mỹ', 'Long', 'Vĩnh', 'Thạnh', 'Phước', 'Hưng', 'Đông', 'Tây', 'Nam', 'Bắc', 'Xuân', 'Quang', 'Minh', 'Thanh', 'Hồng', 'Kim', 'Cẩm', 'Yên', 'Đức', 'Hải', 'Sơn', 'Trung', 'Lạc', 'Thuận', 'Hiệp', 'Khánh', 'Thái', 'Định', 'Lộc', 'Phong', 'Tiến', 'Đại', 'Hoàng', 'Thượng', 'Quảng'];
const SECOND = ['An', 'Lộc', 'Phú', 'Bình', 'Hòa', 'Hưng', 'Thịnh', 'Lợi', 'Thành', 'Hiệp', 'Phong', 'Sơn', 'Hải', 'Điền', 'Lâm', 'Giang', 'Thủy', 'Tiến', 'Đông', 'Tây', 'Trung', 'Mỹ', 'Long', 'Định', 'Khánh', 'Thuận', 'Phước', 'Vinh', 'Quang', 'Xuân', 'Cường', 'Nghĩa'];

/** A small deterministic PRNG (mulberry32), so the directory is the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Commune = { name: string; ward: boolean };

/** `count` distinct commune/ward names, avoiding the demo's Tân An and Phú Lộc. */
export function communeNames(count: number, taken: string[] = ['Tân An', 'Phú Lộc']): Commune[] {
  const rnd = prng(3011);
  const pairs: string[] = [];
  for (const f of FIRST) for (const s of SECOND) if (f !== s) pairs.push(`${f} ${s}`);
  for (let i = pairs.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [pairs[i], pairs[j]] = [pairs[j], pairs[i]];
  }
  const seen = new Set(taken);
  const out: Commune[] = [];
  for (const p of pairs) {
    if (out.length === count) break;
    if (seen.has(p)) continue;
    seen.add(p);
    out.push({ name: p, ward: rnd() < 0.15 });
  }
  return out;
}

export const FAMILY = ['Nguyễn', 'Nguyễn', 'Nguyễn', 'Trần', 'Trần', 'Lê', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Đinh', 'Trịnh', 'Lương', 'Mai', 'Tạ', 'Quách', 'Hà', 'Lò'];
export const MIDDLE_MALE = ['Văn', 'Văn', 'Hữu', 'Đức', 'Minh', 'Quang', 'Thanh', 'Công', 'Xuân', 'Ngọc', 'Trọng', 'Tiến', 'Bá', 'Đình'];
export const MIDDLE_FEMALE = ['Thị', 'Thị', 'Thị', 'Ngọc', 'Thu', 'Thanh', 'Kim', 'Minh', 'Hồng', 'Thúy', 'Diệu', 'Phương'];
export const GIVEN_MALE = ['An', 'Bình', 'Cường', 'Dũng', 'Duy', 'Đạt', 'Giang', 'Hải', 'Hiếu', 'Hòa', 'Hùng', 'Huy', 'Khánh', 'Khoa', 'Kiên', 'Long', 'Lâm', 'Mạnh', 'Minh', 'Nam', 'Nghĩa', 'Phong', 'Phúc', 'Quân', 'Quang', 'Sơn', 'Tài', 'Thắng', 'Thành', 'Thịnh', 'Toàn', 'Trung', 'Tuấn', 'Tùng', 'Việt', 'Vinh', 'Vũ'];
export const GIVEN_FEMALE = ['Anh', 'Châu', 'Chi', 'Dung', 'Duyên', 'Giang', 'Hà', 'Hạnh', 'Hằng', 'Hiền', 'Hoa', 'Hương', 'Huyền', 'Lan', 'Liên', 'Linh', 'Loan', 'Mai', 'My', 'Nga', 'Ngân', 'Nhung', 'Oanh', 'Phượng', 'Quỳnh', 'Tâm', 'Thảo', 'Thơ', 'Thủy', 'Trang', 'Tuyết', 'Vân', 'Vy', 'Yến'];

/** A plausible full name, e.g. "Nguyễn Thị Thu Hương" / "Trần Văn Hùng". */
export function personName(rnd: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const female = rnd() < 0.5;
  const middle = female ? pick(MIDDLE_FEMALE) : pick(MIDDLE_MALE);
  const given = female ? pick(GIVEN_FEMALE) : pick(GIVEN_MALE);
  const extra = rnd() < 0.2 ? `${female ? pick(['Thu', 'Ngọc', 'Bích', 'Minh']) : pick(['Anh', 'Minh', 'Quốc', 'Hoàng'])} ` : '';
  return `${pick(FAMILY)} ${middle} ${extra}${given}`;
}

/** Issuers outside the deployment: [name, short (in symbols), position of the usual signer, of the deputy]. */
export const EXTERNAL_ISSUERS: [string, string, string, string][] = [
  ['Văn phòng Chính phủ', 'VPCP', 'Bộ trưởng, Chủ nhiệm', 'Phó Chủ nhiệm'],
  ['Bộ Nội vụ', 'BNV', 'Bộ trưởng', 'Thứ trưởng'],
  ['Bộ Tài chính', 'BTC', 'Bộ trưởng', 'Thứ trưởng'],
  ['Bộ Tư pháp', 'BTP', 'Bộ trưởng', 'Thứ trưởng'],
  ['Bộ Nông nghiệp và Môi trường', 'BNNMT', 'Bộ trưởng', 'Thứ trưởng'],
  ['Bộ Xây dựng', 'BXD', 'Bộ trưởng', 'Thứ trưởng'],
  ['Bộ Y tế', 'BYT', 'Bộ trưởng', 'Thứ trưởng'],
  ['Bộ Giáo dục và Đào tạo', 'BGDĐT', 'Bộ trưởng', 'Thứ trưởng'],
  ['Bộ Công an', 'BCA', 'Bộ trưởng', 'Thứ trưởng'],
  ['Bộ Khoa học và Công nghệ', 'BKHCN', 'Bộ trưởng', 'Thứ trưởng'],
  ['Tỉnh ủy Thái Hòa', 'TU', 'Bí thư', 'Phó Bí thư'],
  ['Hội đồng nhân dân tỉnh Thái Hòa', 'HĐND', 'Chủ tịch', 'Phó Chủ tịch'],
  ['Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Thái Hòa', 'MTTQ', 'Chủ tịch', 'Phó Chủ tịch'],
  ['Công an tỉnh Thái Hòa', 'CAT', 'Giám đốc', 'Phó Giám đốc'],
  ['Bộ Chỉ huy Quân sự tỉnh Thái Hòa', 'BCH', 'Chỉ huy trưởng', 'Phó Chỉ huy trưởng'],
  ['Bảo hiểm xã hội tỉnh Thái Hòa', 'BHXH', 'Giám đốc', 'Phó Giám đốc'],
  ['Kho bạc Nhà nước khu vực XV', 'KBNN', 'Giám đốc', 'Phó Giám đốc'],
  ['Thuế tỉnh Thái Hòa', 'TTH', 'Trưởng Thuế tỉnh', 'Phó Trưởng Thuế tỉnh'],
  ['Ngân hàng Chính sách xã hội chi nhánh tỉnh Thái Hòa', 'NHCSXH', 'Giám đốc', 'Phó Giám đốc'],
  ['Tòa án nhân dân tỉnh Thái Hòa', 'TA', 'Chánh án', 'Phó Chánh án'],
  ['Viện kiểm sát nhân dân tỉnh Thái Hòa', 'VKS', 'Viện trưởng', 'Phó Viện trưởng'],
  ['Công ty Điện lực Thái Hòa', 'PCTH', 'Giám đốc', 'Phó Giám đốc'],
];

/** Subject templates per type code: {noun} {year} {place} {period} are filled in SQL. Weights are per direction. */
export type Template = { type: string; text: string; inWeight: number; outWeight: number };
export const TEMPLATES: Template[] = [
  { type: 'CV', text: 'Công văn về việc triển khai {noun}', inWeight: 8, outWeight: 7 },
  { type: 'CV', text: 'Công văn về việc đôn đốc thực hiện {noun}', inWeight: 6, outWeight: 5 },
  { type: 'CV', text: 'Công văn về việc báo cáo tình hình {noun} {period} năm {year}', inWeight: 6, outWeight: 5 },
  { type: 'CV', text: 'Công văn về việc góp ý dự thảo quy định về {noun}', inWeight: 4, outWeight: 4 },
  { type: 'CV', text: 'Công văn về việc tăng cường công tác {noun} trên địa bàn {place}', inWeight: 6, outWeight: 6 },
  { type: 'CV', text: 'Công văn về việc rà soát số liệu {noun} trên địa bàn {place}', inWeight: 5, outWeight: 5 },
  { type: 'CV', text: 'Công văn về việc đề nghị cung cấp thông tin {noun}', inWeight: 4, outWeight: 5 },
  { type: 'QD', text: 'Quyết định về việc phê duyệt kế hoạch {noun} năm {year}', inWeight: 3, outWeight: 4 },
  { type: 'QD', text: 'Quyết định về việc thành lập Ban Chỉ đạo {noun}', inWeight: 2, outWeight: 3 },
  { type: 'QD', text: 'Quyết định về việc kiện toàn Tổ công tác {noun} {place}', inWeight: 2, outWeight: 3 },
  { type: 'QD', text: 'Quyết định về việc giao chỉ tiêu {noun} năm {year}', inWeight: 2, outWeight: 2 },
  { type: 'QD', text: 'Quyết định về việc khen thưởng thành tích trong {noun}', inWeight: 2, outWeight: 3 },
  { type: 'QD', text: 'Quyết định về việc phân bổ kinh phí thực hiện {noun} năm {year}', inWeight: 2, outWeight: 2 },
  { type: 'BC', text: 'Báo cáo kết quả {noun} {period} năm {year}', inWeight: 4, outWeight: 10 },
  { type: 'BC', text: 'Báo cáo tình hình thực hiện {noun} trên địa bàn {place}', inWeight: 3, outWeight: 8 },
  { type: 'BC', text: 'Báo cáo sơ kết {noun} {period} năm {year}', inWeight: 2, outWeight: 4 },
  { type: 'KH', text: 'Kế hoạch triển khai {noun} năm {year}', inWeight: 5, outWeight: 4 },
  { type: 'KH', text: 'Kế hoạch kiểm tra {noun} trên địa bàn {place}', inWeight: 3, outWeight: 2 },
  { type: 'KH', text: 'Kế hoạch tuyên truyền {noun} năm {year}', inWeight: 2, outWeight: 2 },
  { type: 'TB', text: 'Thông báo kết luận của Chủ tịch Ủy ban nhân dân về {noun}', inWeight: 4, outWeight: 2 },
  { type: 'TB', text: 'Thông báo lịch tiếp công dân và giải quyết {noun}', inWeight: 2, outWeight: 2 },
  { type: 'GM', text: 'Giấy mời dự hội nghị {noun} {period} năm {year}', inWeight: 6, outWeight: 3 },
  { type: 'GM', text: 'Giấy mời họp triển khai {noun}', inWeight: 4, outWeight: 2 },
  { type: 'TTR', text: 'Tờ trình đề nghị phê duyệt {noun}', inWeight: 1, outWeight: 5 },
  { type: 'TTR', text: 'Tờ trình về việc bổ sung kinh phí {noun} năm {year}', inWeight: 1, outWeight: 3 },
  { type: 'HD', text: 'Hướng dẫn thực hiện {noun} năm {year}', inWeight: 3, outWeight: 1 },
  { type: 'CT', text: 'Chỉ thị về việc tăng cường {noun}', inWeight: 2, outWeight: 1 },
  { type: 'NQ', text: 'Nghị quyết về {noun} năm {year}', inWeight: 1, outWeight: 0 },
  { type: 'CD', text: 'Công điện về việc chủ động ứng phó {noun}', inWeight: 1, outWeight: 1 },
  { type: 'TC', text: 'Thông cáo báo chí về {noun}', inWeight: 0, outWeight: 0 },
];

/** What documents are about (~70 themes of a local administration's year). */
export const NOUNS: string[] = [
  'đăng ký khai sinh', 'đăng ký kết hôn', 'chứng thực bản sao từ bản chính', 'cấp phiếu lý lịch tư pháp', 'hòa giải ở cơ sở',
  'cấp giấy chứng nhận quyền sử dụng đất', 'quản lý đất đai', 'kiểm kê đất đai', 'giải phóng mặt bằng', 'bồi thường, hỗ trợ và tái định cư',
  'xây dựng nông thôn mới', 'xã nông thôn mới nâng cao', 'chương trình mỗi xã một sản phẩm (OCOP)', 'sản xuất vụ Đông Xuân', 'sản xuất vụ Hè Thu',
  'phòng chống thiên tai và tìm kiếm cứu nạn', 'phòng chống lụt bão', 'phòng cháy chữa cháy rừng', 'trồng rừng và bảo vệ rừng', 'phòng chống bệnh dịch tả lợn châu Phi',
  'tiêm phòng gia súc, gia cầm', 'nước sạch và vệ sinh môi trường nông thôn', 'bảo vệ môi trường', 'thu gom và xử lý rác thải sinh hoạt', 'kiên cố hóa kênh mương nội đồng',
  'bê tông hóa đường giao thông nông thôn', 'trật tự xây dựng', 'cấp giấy phép xây dựng', 'chỉnh trang đô thị', 'an toàn giao thông',
  'chuyển đổi số', 'dịch vụ công trực tuyến', 'cải cách hành chính', 'kiểm soát thủ tục hành chính', 'Đề án 06 về dữ liệu dân cư',
  'cấp căn cước', 'ứng dụng công nghệ thông tin', 'bảo đảm an toàn thông tin mạng', 'lưu trữ hồ sơ, tài liệu', 'văn thư và lưu trữ',
  'thu ngân sách nhà nước', 'dự toán ngân sách', 'quyết toán ngân sách', 'giải ngân vốn đầu tư công', 'quản lý tài sản công',
  'thi đua khen thưởng', 'công tác cán bộ', 'tinh giản biên chế', 'sắp xếp đơn vị hành chính', 'đánh giá, xếp loại công chức',
  'tiếp công dân', 'giải quyết khiếu nại, tố cáo', 'phòng chống tham nhũng, tiêu cực', 'thực hành tiết kiệm, chống lãng phí', 'phổ biến, giáo dục pháp luật',
  'an toàn thực phẩm', 'phòng chống dịch bệnh', 'tiêm chủng mở rộng', 'bảo hiểm y tế học sinh', 'dân số và kế hoạch hóa gia đình',
  'giảm nghèo bền vững', 'hộ nghèo và hộ cận nghèo', 'xóa nhà tạm, nhà dột nát', 'chăm sóc người có công', 'trợ cấp bảo trợ xã hội',
  'đào tạo nghề cho lao động nông thôn', 'phổ cập giáo dục', 'tuyển sinh đầu cấp', 'phòng chống ma túy', 'tuyển chọn và gọi công dân nhập ngũ',
  'quốc phòng toàn dân', 'bầu cử đại biểu Hội đồng nhân dân', 'xây dựng đời sống văn hóa', 'lễ hội truyền thống', 'phát triển du lịch cộng đồng',
];

export const PERIODS = ['quý I', 'quý II', 'quý III', 'quý IV', '6 tháng đầu năm', '9 tháng đầu năm', 'tháng 1', 'tháng 5', 'tháng 10'];

export const INSTRUCTIONS = [
  'Giao chủ trì tham mưu, báo cáo kết quả trước hạn.',
  'Đề nghị nghiên cứu, đề xuất phương án xử lý.',
  'Chủ trì, phối hợp các đơn vị liên quan triển khai thực hiện.',
  'Tham mưu văn bản trả lời, trình ký trước hạn.',
  'Theo dõi, tổng hợp, báo cáo lãnh đạo.',
  'Khẩn trương triển khai, báo cáo kết quả.',
];
export const RESULTS = ['Đã tham mưu văn bản trả lời.', 'Đã triển khai thực hiện, báo cáo lãnh đạo.', 'Đã tổng hợp số liệu và báo cáo.', 'Đã hoàn thành theo chỉ đạo.'];
export const PROGRESS = ['Đang tổng hợp số liệu.', 'Đang lấy ý kiến các đơn vị phối hợp.', 'Đã xây dựng dự thảo, đang hoàn thiện.'];
