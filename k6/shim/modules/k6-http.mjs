// k6/http: synchronous requests (the coordinator performs them with fetch).
import { builtin } from '../lib/builtin-metrics.mjs';
import { call } from '../lib/vu-channel.mjs';

const DEFAULT_TIMEOUT_MS = 60_000; // k6's default request timeout

class Response {
  constructor(fields) { Object.assign(this, fields); }

  json(selector) {
    const value = JSON.parse(this.body);
    return selector ? selector.split('.').reduce((v, k) => v?.[k], value) : value;
  }
}

function timeoutMs(params) {
  const t = params?.timeout;
  if (t === undefined) return DEFAULT_TIMEOUT_MS;
  if (typeof t === 'number') return t;
  const m = /^(\d+)(ms|s|m)$/.exec(String(t));
  if (!m) throw new Error(`unsupported timeout: ${t}`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2]];
}

export function request(method, url, body, params) {
  const started = Date.now();
  const payload = body === undefined || body === null ? null : typeof body === 'string' ? body : JSON.stringify(body);
  const limit = timeoutMs(params);
  const result = call('http.request', { method, url, body: payload, headers: params?.headers ?? {}, timeoutMs: limit }, limit + 5000);
  const duration = Date.now() - started;
  const tags = { method, url: params?.tags?.name ?? url, status: String(result.status), ...(params?.tags ?? {}) };
  builtin().httpReqs.add(1, tags);
  builtin().httpReqDuration.add(duration, tags);
  builtin().httpReqFailed.add(result.status === 0 || result.status >= 400, tags);
  return new Response({ url, status: result.status, headers: result.headers, body: result.body, error: result.error ?? '',
    timings: { duration } });
}

export const get = (url, params) => request('GET', url, null, params);
export const post = (url, body, params) => request('POST', url, body, params);
export const put = (url, body, params) => request('PUT', url, body, params);
export const del = (url, body, params) => request('DELETE', url, body, params);

export default { request, get, post, put, del };
