import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { codeDay, DOSSIER_CODE, formatDossierCode } from './code.js';
import { renderFormPdf } from './forms-pdf.js';
import { type FormInput, formSpec, FORM_TITLES } from './forms.js';
import { pdfQrCodes, pdfText } from './testing-pdf.js';
import { FORM_NUMBERS } from './transitions.js';

/** The legal forms as PDFs (read back as text and QR codes), and the dossier code format. */

const received = new Date('2026-03-12T07:35:00Z'); // 14:35 in Hà Nội
const input: FormInput = {
  code: '000.01.31.H99-260312-0042',
  lookupUrl: 'https://dichvucong.thaihoa.gov.vn/tra-cuu/000.01.31.H99-260312-0042',
  unit: { name: 'Ủy ban nhân dân xã Tân An', parentName: 'Ủy ban nhân dân tỉnh Thái Hòa' },
  procedure: { code: '1.001193', name: 'Đăng ký khai sinh', caseName: 'Đăng ký khai sinh đúng hạn', timeLimitLabel: 'Trong ngày' },
  applicant: { name: 'Nguyễn Văn An', idNumber: '001090012345', phone: '0912 345 678', email: 'congdan@example.vn', address: 'Thôn Đông, xã Tân An' },
  channelLabel: 'Trực tiếp',
  receivedAt: received,
  firstDueAt: new Date('2026-03-13T01:00:00Z'),
  dueAt: new Date('2026-03-13T01:00:00Z'),
  feeLabel: 'Miễn phí',
  returnMethod: 'counter',
  receiverName: 'Vũ Thị Lan',
  documents: [
    { name: 'Tờ khai đăng ký khai sinh', form: 'Bản chính', copies: 1 },
    { name: 'Giấy chứng sinh', form: 'Bản chính', copies: 1 },
  ],
  issued: {
    at: new Date('2026-03-12T08:00:00Z'),
    actorName: 'Hoàng Văn Nam',
    reason: 'Giấy chứng sinh bị mờ, không đọc được tên người mẹ',
    items: ['Giấy chứng sinh (bản chính, rõ nét)', 'Giấy tờ chứng minh nơi cư trú'],
    deadline: new Date('2026-03-20T10:00:00Z'),
    newDueAt: new Date('2026-03-16T09:00:00Z'),
    previousDueAt: new Date('2026-03-13T01:00:00Z'),
  },
  handovers: [
    { at: received, from: 'Vũ Thị Lan (Bộ phận Một cửa)', to: 'Hoàng Văn Nam', stepName: 'Thẩm định hồ sơ', dueAt: new Date('2026-03-12T09:00:00Z'), outcome: 'early', note: null },
    { at: new Date('2026-03-12T08:30:00Z'), from: 'Hoàng Văn Nam', to: 'Đặng Văn Bình', stepName: 'Phê duyệt', dueAt: new Date('2026-03-12T09:30:00Z'), outcome: 'on_time', note: null },
  ],
};

const normalise = (s: string) => s.replace(/\s+/g, ' ');

describe('forms 01–06', () => {
  it('prints form 01 with the code, the applicant, the documents, the appointment and a QR code to the public lookup', async () => {
    const pdf = await renderFormPdf(formSpec('01', input, received));
    const txt = normalise(await pdfText(pdf));
    expect(txt).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(txt).toContain('Mã hồ sơ: 000.01.31.H99-260312-0042');
    expect(txt).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(txt).toContain('Tân An, ngày 12 tháng 3 năm 2026');
    expect(txt).toContain('Nguyễn Văn An');
    expect(txt).toContain('Giấy chứng sinh');
    expect(txt).toContain('14 giờ 35 phút, ngày 12/03/2026'); // received, local time
    expect(txt).toContain('08 giờ 00 phút, ngày 13/03/2026'); // appointment
    expect(await pdfQrCodes(pdf)).toEqual([input.lookupUrl]);
  });

  it('prints every form with its legal title, the reason where it has one, and the QR code', async () => {
    for (const n of FORM_NUMBERS) {
      const pdf = await renderFormPdf(formSpec(n, input, input.issued!.at));
      expect((await PDFDocument.load(pdf)).getPageCount()).toBeGreaterThanOrEqual(1);
      const txt = normalise(await pdfText(pdf));
      expect(txt, `form ${n}`).toContain(FORM_TITLES[n]);
      if (['02', '03', '04', '05'].includes(n)) expect(txt, `form ${n}`).toContain('Giấy chứng sinh bị mờ');
      expect(await pdfQrCodes(pdf), `form ${n}`).toEqual([input.lookupUrl]);
    }
  });

  it('lists each missing item and the deadline on form 02, the new date on form 04, each hand-over on form 06', async () => {
    const f02 = normalise(await pdfText(await renderFormPdf(formSpec('02', input, input.issued!.at))));
    expect(f02).toContain('Giấy chứng sinh (bản chính, rõ nét)');
    expect(f02).toContain('Giấy tờ chứng minh nơi cư trú');
    expect(f02).toContain('17:00 20/03/2026');
    const f04 = normalise(await pdfText(await renderFormPdf(formSpec('04', input, input.issued!.at))));
    expect(f04).toContain('16 giờ 00 phút, ngày 16/03/2026');
    expect(f04).toContain('08:00 13/03/2026'); // the appointment it replaces
    const f06 = normalise(await pdfText(await renderFormPdf(formSpec('06', input, new Date('2026-03-12T09:00:00Z')))));
    expect(f06).toContain('Giao: Vũ Thị Lan (Bộ phận Một cửa)');
    expect(f06).toContain('Nhận: Đặng Văn Bình');
    expect(f06).toContain('Trước hạn');
    expect(f06).toContain('Đúng hạn');
  });

  it('flows a long list over a second page without losing the QR code', async () => {
    const many = { ...input, documents: Array.from({ length: 60 }, (_, i) => ({ name: `Giấy tờ số ${i + 1} kèm theo hồ sơ`, form: 'Bản sao', copies: 1 })) };
    const pdf = await renderFormPdf(formSpec('01', many, received));
    expect((await PDFDocument.load(pdf)).getPageCount()).toBeGreaterThan(1);
    expect(normalise(await pdfText(pdf))).toContain('Giấy tờ số 60 kèm theo hồ sơ');
    expect(await pdfQrCodes(pdf)).toEqual([input.lookupUrl]);
  });
});

describe('dossier code', () => {
  it('is <agency id>-<yyMMdd>-<NNNN> with the local (UTC+7) date', () => {
    expect(formatDossierCode('000.00.07.H26', new Date('2026-03-12T03:00:00Z'), 42)).toBe('000.00.07.H26-260312-0042');
    // 23:30 UTC on 11 March is 06:30 on 12 March in Hà Nội.
    expect(codeDay(new Date('2026-03-11T23:30:00Z'))).toBe('260312');
    expect(codeDay(new Date('2026-03-11T16:59:59Z'))).toBe('260311');
    expect(formatDossierCode('000.01.31.H99', new Date('2026-01-01T00:00:00Z'), 12345)).toBe('000.01.31.H99-260101-12345');
    expect(DOSSIER_CODE.test('000.01.31.H99-260101-0001')).toBe(true);
    expect(DOSSIER_CODE.test('000.01.31.H99-2601-0001')).toBe(false);
  });
});
