import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** An RFC 9457 problem returned by the server. */
export type Problem = {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  errors?: { field?: string; message: string; sheet?: string; row?: number }[];
};

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(status: number, problem: Problem) {
    const title = problem.title ?? `Lỗi ${status}`;
    super(problem.detail ? `${title} — ${problem.detail}` : title);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const SIGN_IN_PATH = '/dang-nhap';

export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

let onUnauthorized: () => void = () => {
  if (window.location.pathname !== SIGN_IN_PATH) window.location.assign(SIGN_IN_PATH);
};
/** Lets the app replace the full-page redirect with a router navigation. */
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

let onEnrolmentRequired: () => void = () => window.location.assign('/ca-nhan');
/** Called when the server holds the user at two-factor enrolment (403 two-factor-enrolment-required). */
export function setEnrolmentRequiredHandler(fn: () => void): void {
  onEnrolmentRequired = fn;
}

function isLogin(url: string): boolean {
  return new URL(url, window.location.origin).pathname.startsWith('/api/auth/login');
}

function withCsrf(request: Request): Request {
  if (UNSAFE.has(request.method)) {
    const csrf = readCookie('lt_csrf');
    if (csrf) request.headers.set('x-csrf-token', csrf);
  }
  return request;
}

function checkUnauthorized(request: Request, response: Response): void {
  if (response.status === 401 && !isLogin(request.url)) onUnauthorized();
  if (response.status === 403) {
    response
      .clone()
      .json()
      .then((p: Problem) => {
        if (p.type?.endsWith('/two-factor-enrolment-required')) onEnrolmentRequired();
      })
      .catch(() => undefined);
  }
}

const middleware: Middleware = {
  onRequest: ({ request }) => withCsrf(request),
  onResponse: ({ request, response }) => {
    checkUnauthorized(request, response);
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(middleware);

async function problemOf(response: Response, body?: unknown): Promise<Problem> {
  if (body && typeof body === 'object') return body as Problem;
  if (typeof body === 'string' && body) return { title: body, status: response.status };
  return { title: response.statusText || `Lỗi ${response.status}`, status: response.status };
}

/** Awaits an openapi-fetch call and returns its data, or throws an ApiError built from the problem. */
export async function unwrap<D>(call: Promise<{ data?: D; error?: unknown; response: Response }>): Promise<D> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError(response.status, await problemOf(response, error));
  return data as D;
}

/** For requests openapi-fetch does not model well (multipart uploads). Same CSRF and error rules. */
export async function rawFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const request = withCsrf(new Request(url, { credentials: 'same-origin', ...init }));
  const response = await fetch(request);
  checkUnauthorized(request, response);
  if (!response.ok) {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    throw new ApiError(response.status, await problemOf(response, body));
  }
  return response;
}
