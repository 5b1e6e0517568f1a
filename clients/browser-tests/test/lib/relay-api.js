// The relay's HTTP API as the tests use it, straight to the server (not through the proxy):
// dev tokens, the history of a thread, the admin disconnect, metrics.
import { ADMIN_TOKEN } from './relay-server.js';

const HISTORY_PAGE = 1000; // the server's largest page

export class RelayApi {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
  }

  async devToken(sub) {
    const response = await fetch(`${this.baseUrl}/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub }),
    });
    if (!response.ok) throw new Error(`POST /dev/token answered ${response.status}`);
    return (await response.json()).token;
  }

  /** Every retained frame of (sub, thread): `{epoch, head, frames}`, oldest first. */
  async history(sub, thread) {
    const token = await this.devToken(sub);
    const frames = [];
    let epoch = null;
    let head = 0;
    for (let after = 0; ; ) {
      const url = `${this.baseUrl}/api/threads/${encodeURIComponent(thread)}/frames?after=${after}&limit=${HISTORY_PAGE}`;
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
      const page = await response.json();
      epoch = page.epoch;
      head = page.head;
      frames.push(...page.frames);
      if (page.frames.length === 0 || page.frames.at(-1).seq >= head) break;
      after = page.frames.at(-1).seq;
    }
    return { epoch, head, frames };
  }

  /** POST /api/threads/{thread}/messages as `sub`: journaled like a `send`; resolves with its seq. */
  async postMessage(sub, thread, id, text) {
    const token = await this.devToken(sub);
    const response = await fetch(`${this.baseUrl}/api/threads/${encodeURIComponent(thread)}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id, text }),
    });
    if (response.status !== 202) throw new Error(`POST messages answered ${response.status}`);
    return (await response.json()).seq;
  }

  /** POST /admin/users/{sub}/disconnect: every connection of `sub` closes with 4503. */
  async disconnectUser(sub) {
    const response = await fetch(`${this.baseUrl}/admin/users/${encodeURIComponent(sub)}/disconnect`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    if (response.status !== 204) throw new Error(`admin disconnect answered ${response.status}`);
  }

  /** One sample of /metrics, e.g. `relay_gateway_connections`. */
  async metric(name) {
    const text = await (await fetch(`${this.baseUrl}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    if (!line) throw new Error(`metric ${name} not found`);
    return Number(line.slice(name.length + 1));
  }
}
