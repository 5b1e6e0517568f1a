// Coordinator side of k6/http: one fetch per request; network errors answer status 0 as k6 does.
export async function performRequest({ method, url, body, headers, timeoutMs }) {
  try {
    const res = await fetch(url, { method, body: body ?? undefined, headers, signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body: await res.text() };
  } catch (err) {
    return { status: 0, headers: {}, body: '', error: err.cause?.message ?? err.message };
  }
}
