import type { z } from 'zod';
import type { catalogueSchema } from './catalogue.js';

type CatalogueInput = z.input<typeof catalogueSchema>;
type ProcedureInput = CatalogueInput['procedures'][number];
type VersionIn = ProcedureInput['versions'][number];
type StepIn = NonNullable<VersionIn['process']>[number];

/** Form templates the demo catalogue ships (generated as simple PDFs by demo.ts). */
export const DEMO_FORMS = {
  birth: { name: 'To-khai-dang-ky-khai-sinh.pdf', title: 'TỜ KHAI ĐĂNG KÝ KHAI SINH', fields: ['Họ, chữ đệm, tên người được khai sinh', 'Ngày, tháng, năm sinh', 'Giới tính', 'Dân tộc', 'Quốc tịch', 'Nơi sinh', 'Quê quán', 'Họ, chữ đệm, tên người mẹ', 'Họ, chữ đệm, tên người cha', 'Họ, chữ đệm, tên người yêu cầu', 'Số định danh cá nhân người yêu cầu', 'Quan hệ với người được khai sinh'] },
  marriage: { name: 'To-khai-dang-ky-ket-hon.pdf', title: 'TỜ KHAI ĐĂNG KÝ KẾT HÔN', fields: ['Họ, chữ đệm, tên (bên nữ)', 'Ngày, tháng, năm sinh (bên nữ)', 'Số định danh cá nhân (bên nữ)', 'Nơi cư trú (bên nữ)', 'Kết hôn lần thứ mấy (bên nữ)', 'Họ, chữ đệm, tên (bên nam)', 'Ngày, tháng, năm sinh (bên nam)', 'Số định danh cá nhân (bên nam)', 'Nơi cư trú (bên nam)', 'Kết hôn lần thứ mấy (bên nam)'] },
  extract: { name: 'To-khai-cap-ban-sao-trich-luc-ho-tich.pdf', title: 'TỜ KHAI CẤP BẢN SAO TRÍCH LỤC HỘ TỊCH', fields: ['Họ, chữ đệm, tên người yêu cầu', 'Số định danh cá nhân', 'Nơi cư trú', 'Quan hệ với người được cấp bản sao trích lục', 'Loại việc hộ tịch đã đăng ký', 'Số, ngày đăng ký', 'Số lượng bản sao đề nghị cấp'] },
  criminal: { name: 'To-khai-yeu-cau-cap-Phieu-ly-lich-tu-phap.pdf', title: 'TỜ KHAI YÊU CẦU CẤP PHIẾU LÝ LỊCH TƯ PHÁP', fields: ['Họ, chữ đệm, tên', 'Giới tính', 'Ngày, tháng, năm sinh', 'Nơi sinh', 'Quốc tịch', 'Số định danh cá nhân', 'Nơi thường trú', 'Họ tên cha', 'Họ tên mẹ', 'Quá trình cư trú, nghề nghiệp từ đủ 14 tuổi', 'Loại Phiếu yêu cầu cấp (số 1/số 2)', 'Số lượng Phiếu yêu cầu cấp'] },
} as const;
export type DemoFormKey = keyof typeof DEMO_FORMS;

const sameDay = { unit: 'same-day' } as const;
const free = (note: string) => ({ kind: 'free', note }) as const;
const doc = (name: string, originals: number, copies: number, required = true, template?: { fileId: string; name: string }, note?: string) => ({ name, originals, copies, required, template: template ?? null, note: note ?? null });

// A commune same-day process: 8 working hours at most (received after 15:00 → next working day).
const communeSameDay = (review: string, hours: [number, number, number, number] = [1, 4, 2, 1]): StepIn[] => [
  { kind: 'receive', name: 'Tiếp nhận, kiểm tra hồ sơ tại Bộ phận Một cửa', role: 'onestop_officer', unitRule: 'receiving_unit', shareKind: 'hours', shareValue: hours[0] },
  { kind: 'review', name: review, role: 'specialist', unitRule: 'receiving_unit', shareKind: 'hours', shareValue: hours[1] },
  { kind: 'approve', name: 'Lãnh đạo UBND xã xem xét, ký', role: 'leader', unitRule: 'receiving_unit', shareKind: 'hours', shareValue: hours[2] },
  { kind: 'return', name: 'Trả kết quả tại Bộ phận Một cửa', role: 'onestop_officer', unitRule: 'receiving_unit', shareKind: 'hours', shareValue: hours[3] },
];

const HOTICH_BASIS = 'Luật Hộ tịch số 60/2014/QH13; Nghị định số 123/2015/NĐ-CP; Thông tư số 04/2020/TT-BTP; Thông tư số 85/2019/TT-BTC (phí, lệ phí thuộc thẩm quyền HĐND cấp tỉnh)';
const CHUNGTHUC_BASIS = 'Nghị định số 23/2015/NĐ-CP về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký và chứng thực hợp đồng, giao dịch; Thông tư số 01/2020/TT-BTP; Thông tư số 226/2016/TT-BTC (phí chứng thực)';

/**
 * The demo catalogue: the five common commune procedures (DOMAIN.md) and one two-level procedure.
 * Codes are from the national TTHC database as remembered; the ones marked "(uncertain)" should be
 * checked against dichvucong.gov.vn before real use — they are data, editable in the catalogue.
 */
export function demoCatalogue(refs: { provinceId: string; justiceId: string; forms: Record<DemoFormKey, string> }): CatalogueInput {
  const form = (k: DemoFormKey) => ({ fileId: refs.forms[k], name: DEMO_FORMS[k].name });
  const commune = { levels: ['commune' as const], kinds: ['people_committee' as const], unitIds: [], note: 'Ủy ban nhân dân cấp xã' };
  const citizens = ['citizen' as const];
  const from = '2025-07-01'; // the two-tier local government took effect

  const birthV1: VersionIn = {
    version: 1,
    effectiveFrom: from,
    name: 'Đăng ký khai sinh',
    field: 'Hộ tịch',
    level: 'commune',
    onlineLevel: 'partial',
    changeNote: 'Danh mục khi chuyển sang chính quyền địa phương hai cấp',
    record: {
      executing: commune,
      applicants: citizens,
      steps: 'Bước 1: Người yêu cầu nộp hồ sơ tại Bộ phận Một cửa UBND xã hoặc trên Cổng Dịch vụ công.\nBước 2: Công chức tư pháp – hộ tịch kiểm tra; nếu hợp lệ, ghi vào Sổ đăng ký khai sinh, trình Chủ tịch UBND xã ký Giấy khai sinh.\nBước 3: Trả Giấy khai sinh cho người yêu cầu.',
      channels: [
        { channel: 'in_person', timeLimit: sameDay, fee: free('đăng ký khai sinh đúng hạn; quá hạn thu theo Nghị quyết HĐND tỉnh'), note: 'Nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo' },
        { channel: 'online', timeLimit: sameDay, fee: free('đăng ký khai sinh đúng hạn') },
      ],
      cases: [
        {
          key: 'th1',
          name: 'Trẻ em có Giấy chứng sinh',
          documents: [doc('Tờ khai đăng ký khai sinh (theo mẫu)', 1, 0, true, form('birth')), doc('Giấy chứng sinh', 1, 0)],
        },
        {
          key: 'th2',
          name: 'Không có Giấy chứng sinh',
          documents: [
            doc('Tờ khai đăng ký khai sinh (theo mẫu)', 1, 0, true, form('birth')),
            doc('Văn bản xác nhận của người làm chứng về việc sinh, hoặc giấy cam đoan về việc sinh', 1, 0),
          ],
        },
      ],
      result: 'Giấy khai sinh (bản chính); bản sao Giấy khai sinh nếu có yêu cầu',
      legalBasis: HOTICH_BASIS,
      conditions: null,
      twoLevel: null,
    },
    process: communeSameDay('Công chức tư pháp – hộ tịch kiểm tra, ghi Sổ, in Giấy khai sinh'),
  };
  // Version 2: whole-process online (toàn trình) and a shorter review, from 1 January 2026.
  const birthV2: VersionIn = {
    ...birthV1,
    version: 2,
    effectiveFrom: '2026-01-01',
    onlineLevel: 'full',
    changeNote: 'Cung cấp dịch vụ công trực tuyến toàn trình',
    process: communeSameDay('Công chức tư pháp – hộ tịch kiểm tra, ghi Sổ, in Giấy khai sinh', [1, 3, 2, 1]),
  };

  const procedures: ProcedureInput[] = [
    { code: '1.001193', ownerUnitId: refs.provinceId, versions: [birthV1, birthV2] },
    {
      code: '1.000894',
      ownerUnitId: refs.provinceId,
      versions: [{
        version: 1, effectiveFrom: from, name: 'Đăng ký kết hôn', field: 'Hộ tịch', level: 'commune', onlineLevel: 'partial', changeNote: null,
        record: {
          executing: commune,
          applicants: citizens,
          steps: 'Bước 1: Hai bên nam, nữ nộp hồ sơ tại Bộ phận Một cửa UBND xã nơi cư trú của một trong hai bên.\nBước 2: Công chức tư pháp – hộ tịch kiểm tra; nếu đủ điều kiện kết hôn thì ghi vào Sổ đăng ký kết hôn.\nBước 3: Hai bên cùng có mặt ký Sổ và Giấy chứng nhận kết hôn; Chủ tịch UBND xã trao Giấy chứng nhận kết hôn.',
          channels: [
            { channel: 'in_person', timeLimit: sameDay, fee: free('miễn lệ phí đăng ký kết hôn') },
            { channel: 'online', timeLimit: sameDay, fee: free('miễn lệ phí đăng ký kết hôn') },
          ],
          cases: [
            { key: 'th1', name: 'Đủ điều kiện, không cần xác minh', documents: [doc('Tờ khai đăng ký kết hôn (theo mẫu)', 1, 0, true, form('marriage')), doc('Giấy xác nhận tình trạng hôn nhân (khi đăng ký tại nơi không thường trú)', 1, 0, false)] },
            {
              key: 'th2',
              name: 'Cần xác minh điều kiện kết hôn',
              timeLimit: { unit: 'working-days', amount: 5 },
              documents: [doc('Tờ khai đăng ký kết hôn (theo mẫu)', 1, 0, true, form('marriage')), doc('Giấy xác nhận tình trạng hôn nhân', 1, 0), doc('Trích lục ghi chú ly hôn (nếu đã ly hôn ở nước ngoài)', 0, 1, false)],
            },
          ],
          result: 'Giấy chứng nhận kết hôn (02 bản chính, mỗi bên một bản)',
          legalBasis: `Luật Hôn nhân và gia đình số 52/2014/QH13; ${HOTICH_BASIS}`,
          conditions: 'Nam từ đủ 20 tuổi, nữ từ đủ 18 tuổi; việc kết hôn do hai bên tự nguyện quyết định; không mất năng lực hành vi dân sự; không thuộc trường hợp cấm kết hôn.',
          twoLevel: null,
        },
        process: communeSameDay('Công chức tư pháp – hộ tịch kiểm tra điều kiện kết hôn, ghi Sổ'),
      }],
    },
    {
      code: '2.000635',
      ownerUnitId: refs.provinceId,
      versions: [{
        version: 1, effectiveFrom: from, name: 'Cấp bản sao Trích lục hộ tịch', field: 'Hộ tịch', level: 'commune', onlineLevel: 'full', changeNote: null,
        record: {
          executing: commune,
          applicants: citizens,
          steps: 'Bước 1: Người yêu cầu nộp tờ khai trực tiếp, qua bưu chính hoặc trực tuyến.\nBước 2: Công chức tư pháp – hộ tịch tra Sổ hộ tịch, in bản sao trích lục, trình ký.\nBước 3: Trả bản sao Trích lục hộ tịch.',
          channels: [
            { channel: 'in_person', timeLimit: sameDay, fee: { kind: 'fixed', amount: 8000, per: 'bản sao' } },
            { channel: 'online', timeLimit: sameDay, fee: { kind: 'fixed', amount: 8000, per: 'bản sao' } },
            { channel: 'post', timeLimit: sameDay, fee: { kind: 'fixed', amount: 8000, per: 'bản sao', note: 'chưa gồm cước bưu chính' } },
          ],
          cases: [{ key: 'th1', name: 'Cấp bản sao Trích lục hộ tịch', documents: [doc('Tờ khai cấp bản sao trích lục hộ tịch (theo mẫu)', 1, 0, true, form('extract')), doc('Văn bản ủy quyền (khi ủy quyền yêu cầu)', 1, 0, false)] }],
          result: 'Bản sao Trích lục hộ tịch',
          legalBasis: HOTICH_BASIS,
          conditions: null,
          twoLevel: null,
        },
        process: communeSameDay('Công chức tư pháp – hộ tịch tra Sổ, in bản sao trích lục', [1, 2, 2, 1]),
      }],
    },
    {
      code: '2.000815', // (uncertain) chứng thực bản sao từ bản chính — cấp xã
      ownerUnitId: refs.provinceId,
      versions: [{
        version: 1, effectiveFrom: from, name: 'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận',
        field: 'Chứng thực', level: 'commune', onlineLevel: 'partial', changeNote: null,
        record: {
          executing: commune,
          applicants: ['citizen', 'business', 'organization'],
          steps: 'Bước 1: Người yêu cầu xuất trình bản chính và bản sao cần chứng thực.\nBước 2: Người thực hiện chứng thực đối chiếu bản sao với bản chính, ghi lời chứng, ký, đóng dấu và ghi vào sổ chứng thực.\nBước 3: Thu phí và trả bản sao đã chứng thực.',
          channels: [
            {
              channel: 'in_person',
              timeLimit: sameDay,
              fee: { kind: 'tiered', unit: 'trang', tiers: [{ from: 1, price: 2000 }, { from: 3, price: 1000 }], maxPerItem: 200000, per: 'bản' },
              note: 'Tiếp nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo',
            },
            {
              channel: 'online',
              timeLimit: sameDay,
              fee: { kind: 'tiered', unit: 'trang', tiers: [{ from: 1, price: 2000 }, { from: 3, price: 1000 }], maxPerItem: 200000, per: 'bản' },
              note: 'Chứng thực bản sao điện tử từ bản chính',
            },
          ],
          cases: [{ key: 'th1', name: 'Chứng thực bản sao từ bản chính', documents: [doc('Bản chính giấy tờ, văn bản làm cơ sở chứng thực', 1, 0), doc('Bản sao cần chứng thực (khi người yêu cầu tự mang bản sao)', 0, 1, false)] }],
          result: 'Bản sao được chứng thực từ bản chính',
          legalBasis: CHUNGTHUC_BASIS,
          conditions: 'Bản chính không thuộc các trường hợp không được dùng làm cơ sở để chứng thực bản sao (Điều 22 Nghị định số 23/2015/NĐ-CP).',
          twoLevel: null,
        },
        process: communeSameDay('Công chức tư pháp – hộ tịch đối chiếu bản sao với bản chính, ghi lời chứng', [0.5, 2, 1, 0.5]),
      }],
    },
    {
      code: '2.000884', // (uncertain) chứng thực chữ ký trong giấy tờ, văn bản — cấp xã
      ownerUnitId: refs.provinceId,
      versions: [{
        version: 1, effectiveFrom: from, name: 'Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng thực điểm chỉ và trường hợp người yêu cầu chứng thực không thể ký, không thể điểm chỉ được)',
        field: 'Chứng thực', level: 'commune', onlineLevel: 'none', changeNote: null,
        record: {
          executing: commune,
          applicants: citizens,
          steps: 'Bước 1: Người yêu cầu chứng thực xuất trình giấy tờ tùy thân và giấy tờ, văn bản cần chứng thực chữ ký.\nBước 2: Người yêu cầu ký trước mặt người thực hiện chứng thực; người thực hiện chứng thực ghi lời chứng, ký, đóng dấu.\nBước 3: Thu phí và trả kết quả.',
          channels: [{ channel: 'in_person', timeLimit: sameDay, fee: { kind: 'fixed', amount: 10000, per: 'trường hợp' } }],
          cases: [{ key: 'th1', name: 'Chứng thực chữ ký', documents: [doc('Giấy tờ tùy thân còn giá trị (xuất trình)', 1, 0), doc('Giấy tờ, văn bản cần chứng thực chữ ký', 1, 0)] }],
          result: 'Giấy tờ, văn bản đã được chứng thực chữ ký',
          legalBasis: CHUNGTHUC_BASIS,
          conditions: 'Người yêu cầu chứng thực phải ký trước mặt người thực hiện chứng thực.',
          twoLevel: null,
        },
        process: communeSameDay('Công chức tư pháp – hộ tịch kiểm tra giấy tờ, chứng kiến việc ký', [0.5, 2, 1, 0.5]),
      }],
    },
    {
      code: '2.000488', // (uncertain) cấp Phiếu lý lịch tư pháp cho công dân Việt Nam — cấp tỉnh
      ownerUnitId: refs.provinceId,
      versions: [{
        version: 1, effectiveFrom: from, name: 'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam',
        field: 'Lý lịch tư pháp', level: 'province', onlineLevel: 'full', changeNote: null,
        record: {
          executing: { levels: ['province'], kinds: [], unitIds: [refs.justiceId], note: 'Sở Tư pháp; Bộ phận Một cửa UBND xã tiếp nhận và chuyển liên thông' },
          applicants: citizens,
          steps: 'Bước 1: Người yêu cầu nộp hồ sơ tại Bộ phận Một cửa UBND xã hoặc trực tuyến.\nBước 2: UBND xã chuyển hồ sơ liên thông đến Sở Tư pháp.\nBước 3: Sở Tư pháp tra cứu, xác minh thông tin lý lịch tư pháp, cấp Phiếu.\nBước 4: Trả Phiếu lý lịch tư pháp tại nơi nộp hồ sơ.',
          channels: [
            { channel: 'in_person', timeLimit: { unit: 'working-days', amount: 10 }, fee: { kind: 'fixed', amount: 200000, per: 'lần', note: 'sinh viên, người có công: 100.000 đ; từ Phiếu thứ 3 thu thêm 5.000 đ/Phiếu' } },
            { channel: 'online', timeLimit: { unit: 'working-days', amount: 10 }, fee: { kind: 'fixed', amount: 200000, per: 'lần', note: 'sinh viên, người có công: 100.000 đ' } },
          ],
          cases: [{ key: 'th1', name: 'Công dân Việt Nam yêu cầu cấp Phiếu lý lịch tư pháp', documents: [doc('Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (theo mẫu)', 1, 0, true, form('criminal')), doc('Bản chụp giấy tờ tùy thân', 0, 1)] }],
          result: 'Phiếu lý lịch tư pháp số 1 hoặc số 2',
          legalBasis: 'Luật Lý lịch tư pháp số 28/2009/QH12; Nghị định số 111/2010/NĐ-CP; Thông tư số 244/2016/TT-BTC (phí cung cấp thông tin lý lịch tư pháp)',
          conditions: null,
          twoLevel: { receivingLevel: 'commune', decidingLevel: 'province', decidingUnitId: refs.justiceId },
        },
        process: [
          { kind: 'receive', name: 'Bộ phận Một cửa UBND xã tiếp nhận, kiểm tra hồ sơ', role: 'onestop_officer', unitRule: 'receiving_unit', shareKind: 'fraction', shareValue: 0.05 },
          { kind: 'transfer', name: 'Chuyển hồ sơ liên thông đến Sở Tư pháp', role: 'onestop_officer', unitRule: 'receiving_unit', shareKind: 'fraction', shareValue: 0.05 },
          { kind: 'review', name: 'Chuyên viên Sở Tư pháp tra cứu, xác minh lý lịch tư pháp', role: 'specialist', unitRule: 'deciding_unit', shareKind: 'fraction', shareValue: 0.6 },
          { kind: 'decide', name: 'Lãnh đạo Sở Tư pháp ký Phiếu lý lịch tư pháp', role: 'leader', unitRule: 'deciding_unit', shareKind: 'fraction', shareValue: 0.2 },
          { kind: 'return', name: 'Trả Phiếu tại Bộ phận Một cửa UBND xã', role: 'onestop_officer', unitRule: 'receiving_unit', shareKind: 'fraction', shareValue: 0.1 },
        ],
      }],
    },
  ];
  return { format: 'lienthong-procedures', formatVersion: 1, units: [], files: [], procedures };
}
