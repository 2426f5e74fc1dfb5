import { z } from 'zod';

/**
 * Fees and charges (phí, lệ phí) as data a function can compute, in đồng:
 * - free: miễn phí / không thu (with a note such as "đăng ký đúng hạn");
 * - fixed: an amount per case, or per item when `per` names it ("8.000 đ/bản");
 * - tiered: a price per unit by tier, capped per item — certified copies: 2.000 đ/trang, from page 3
 *   1.000 đ/trang, at most 200.000 đ/bản.
 */
export type Fee =
  | { kind: 'free'; note?: string | null }
  | { kind: 'fixed'; amount: number; per?: string | null; note?: string | null }
  | { kind: 'tiered'; unit: string; tiers: { from: number; price: number }[]; maxPerItem?: number | null; per?: string | null; note?: string | null };

const dong = z.number().int().min(0).max(1_000_000_000);
const word = z.string().trim().min(1).max(30);
const note = z.string().trim().max(500).nullish();

export const feeSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('free'), note }),
    z.object({ kind: z.literal('fixed'), amount: dong, per: word.nullish().describe('"bản", "trường hợp"… — nhân với số lượng'), note }),
    z.object({
      kind: z.literal('tiered'),
      unit: word.describe('Đơn vị tính, ví dụ "trang"'),
      tiers: z
        .array(z.object({ from: z.number().int().min(1).max(100_000), price: dong }))
        .min(1)
        .max(10)
        .refine((t) => t[0]?.from === 1, { message: 'Bậc đầu tiên phải bắt đầu từ 1.' })
        .refine((t) => t.every((x, i) => i === 0 || x.from > t[i - 1].from), { message: 'Các bậc phải tăng dần.' }),
      maxPerItem: dong.nullish().describe('Mức thu tối đa cho mỗi bản'),
      per: word.nullish().describe('Đơn vị tính trần, ví dụ "bản"'),
      note,
    }),
  ])
  .describe('Phí, lệ phí (đồng)');

export type FeeQuantity = {
  /** Units of the tiered price (pages) in one item. */
  units?: number;
  /** Items (copies, cases); default 1. */
  items?: number;
};

/** What the applicant pays, in đồng. */
export function computeFee(fee: Fee, q: FeeQuantity = {}): number {
  const items = Math.max(1, Math.floor(q.items ?? 1));
  switch (fee.kind) {
    case 'free':
      return 0;
    case 'fixed':
      return fee.per ? fee.amount * items : fee.amount;
    case 'tiered': {
      const units = Math.max(0, Math.floor(q.units ?? 1));
      let perItem = 0;
      for (let n = 1; n <= units; n++) {
        let price = fee.tiers[0].price;
        for (const t of fee.tiers) if (n >= t.from) price = t.price;
        perItem += price;
        if (fee.maxPerItem != null && perItem >= fee.maxPerItem) {
          perItem = fee.maxPerItem;
          break;
        }
      }
      return perItem * items;
    }
  }
}

export const formatDong = (n: number): string => `${n.toLocaleString('vi-VN')} đ`;

/** The fee rule in words: "2.000 đ/trang; từ trang 3: 1.000 đ/trang; tối đa 200.000 đ/bản". */
export function feeLabel(fee: Fee): string {
  const tail = fee.note ? ` (${fee.note})` : '';
  switch (fee.kind) {
    case 'free':
      return `Miễn phí${tail}`;
    case 'fixed':
      return `${formatDong(fee.amount)}${fee.per ? `/${fee.per}` : ''}${tail}`;
    case 'tiered': {
      const parts = fee.tiers.map((t, i) => (i === 0 ? `${formatDong(t.price)}/${fee.unit}` : `từ ${fee.unit} ${t.from}: ${formatDong(t.price)}/${fee.unit}`));
      if (fee.maxPerItem != null) parts.push(`tối đa ${formatDong(fee.maxPerItem)}${fee.per ? `/${fee.per}` : ''}`);
      return parts.join('; ') + tail;
    }
  }
}
