import { z } from 'zod';

// Validation messages in Vietnamese (zod ships a vi locale).
z.config(z.locales.vi());

export const pageQuery = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};

export const boolQuery = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

export const idParams = z.object({ id: z.string().max(100) });

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() }).passthrough()).optional(),
  })
  .describe('RFC 9457 problem details (application/problem+json)');

/** Standard error responses for the OpenAPI document. */
export const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, problemSchema]));

export const paged = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
