/** Vietnamese labels of the catalogue's codes, as citizens read them. */

export const LEVEL_LABELS: Record<string, string> = { central: 'Cấp trung ương', province: 'Cấp tỉnh', district: 'Cấp huyện', commune: 'Cấp xã' };
export const ONLINE_LABELS: Record<string, string> = { full: 'Trực tuyến toàn trình', partial: 'Trực tuyến một phần', none: 'Chưa nộp trực tuyến' };
export const OFFER_LABELS: Record<string, string> = { in_person: 'Trực tiếp', online: 'Trực tuyến', post: 'Bưu chính công ích' };
export const APPLICANT_LABELS: Record<string, string> = { citizen: 'Công dân', business: 'Doanh nghiệp', organization: 'Tổ chức' };
export const RETURN_LABELS: Record<string, string> = { counter: 'Nhận tại Bộ phận Một cửa', post: 'Nhận qua bưu chính công ích', online: 'Nhận bản điện tử (tải về)' };

export const copiesLabel = (originals: number, copies: number): string =>
  [originals ? `${originals} bản chính` : null, copies ? `${copies} bản sao` : null].filter(Boolean).join(', ') || 'Bản điện tử';
