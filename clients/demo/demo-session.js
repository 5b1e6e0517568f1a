// Part of the demo page (demo.js): who is signed in — dev tokens, pasted JWTs, stored threads.

export const DEV_TOKEN_PATH = '/dev/token';
export const TOKEN_REFRESH_MARGIN_MS = 30_000; // ask for a new dev token when the current one expires within this
const DEFAULT_THREAD = 'general';
export const THREAD_ID = /^[A-Za-z0-9._:-]{1,128}$/;
export const SESSION_KEY = 'relay-demo.session';
export const threadsKey = (sub) => `relay-demo.threads|${sub}`;
export const activeKey = (sub) => `relay-demo.active|${sub}`;

/** POST /dev/token answered 404: the server runs without dev tokens. */
export class DevTokensOff extends Error {}

/** A dev token for `sub` from POST /dev/token, as the session the page keeps. */
export async function requestDevToken(fetch, window, sub) {
  const response = await fetch(new URL(DEV_TOKEN_PATH, window.location.href).href, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub }),
  });
  if (response.status === 404) throw new DevTokensOff('This server has dev tokens turned off (POST /dev/token answered 404). Sign in with a JWT instead.');
  const body = await response.json().catch(() => null);
  if (!response.ok || !body?.token) throw new Error(body?.message ?? `POST /dev/token answered HTTP ${response.status}`);
  return { sub: body.sub ?? sub, token: body.token, exp: body.exp ?? null, mode: 'dev' };
}

/** The `sub` and `exp` of a pasted JWT (not verified: the server does that), or null. */
export function subOfJwt(window, token) {
  try {
    const payload = JSON.parse(window.atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return { sub: String(payload.sub ?? 'unknown'), exp: typeof payload.exp === 'number' ? payload.exp : null };
  } catch {
    return null;
  }
}

/** The thread names this user opened in this browser. */
export function loadThreads(localStore, sub) {
  try {
    const list = JSON.parse(localStore.getItem(threadsKey(sub)) ?? '[]').filter((t) => THREAD_ID.test(t));
    return list.length ? list : [DEFAULT_THREAD];
  } catch {
    return [DEFAULT_THREAD];
  }
}
