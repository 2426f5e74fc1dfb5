import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../test/harness.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp({ seed: false, config: { loginRateLimitPerMinute: 3 } });
});
afterAll(() => t.close());

describe('sign-in rate limit per IP', () => {
  it('answers 429 problem+json once an address exceeds its attempts per minute', async () => {
    const attempt = (i: number) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `ai.do.${i}`, password: 'x' } });
    for (let i = 0; i < 3; i++) expect((await attempt(i)).statusCode).toBe(401);
    const res = await attempt(99);
    expect(res.statusCode).toBe(429);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().title).toBe('Quá nhiều yêu cầu');
  });
});
