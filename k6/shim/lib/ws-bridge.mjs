// Coordinator side of k6/ws: one `ws` client per VU socket; its events are forwarded to the VU.
import WebSocket from 'ws';

const HANDSHAKE_TIMEOUT_MS = 60_000;

export class WsBridge {
  /** @param deliver function(message) that posts to the VU and wakes it */
  constructor(deliver) {
    this.deliver = deliver;
    this.sockets = new Map();
  }

  open({ id, sid, url, headers, protocols }) {
    const reply = (result) => this.deliver({ kind: 'reply', id, result });
    let ws;
    try {
      ws = new WebSocket(url, protocols, { headers, handshakeTimeout: HANDSHAKE_TIMEOUT_MS });
    } catch (err) {
      reply({ ok: false, status: 0, error: err.message });
      return;
    }
    let upgradeHeaders = {};
    let settled = false;
    ws.on('upgrade', (res) => { upgradeHeaders = { ...res.headers }; });
    ws.on('unexpected-response', (req, res) => {
      settled = true;
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => reply({ ok: false, status: res.statusCode, headers: res.headers,
        body: Buffer.concat(chunks).toString('utf8'), error: `websocket: bad handshake (${res.statusCode})` }));
      req.destroy();
    });
    ws.on('open', () => {
      settled = true;
      this.sockets.set(sid, ws);
      reply({ ok: true, status: 101, headers: upgradeHeaders });
    });
    ws.on('message', (data, isBinary) => this.event(sid, isBinary
      ? { type: 'binaryMessage', data: new Uint8Array(data).buffer } : { type: 'message', data: data.toString('utf8') }));
    ws.on('ping', () => this.event(sid, { type: 'ping' }));
    ws.on('pong', () => this.event(sid, { type: 'pong' }));
    ws.on('error', (err) => {
      if (!settled) { settled = true; reply({ ok: false, status: 0, error: err.message }); return; }
      this.event(sid, { type: 'error', message: err.message });
    });
    ws.on('close', (code) => {
      this.sockets.delete(sid);
      if (settled) this.event(sid, { type: 'close', code });
    });
  }

  event(sid, event) {
    this.deliver({ kind: 'ws', sid, ...event });
  }

  send({ sid, data }) {
    const ws = this.sockets.get(sid);
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    ws.send(data, (err) => { if (err) this.event(sid, { type: 'error', message: err.message }); });
  }

  ping({ sid }) {
    this.sockets.get(sid)?.ping();
  }

  close({ sid, code }) {
    const ws = this.sockets.get(sid);
    this.sockets.delete(sid);
    if (!ws) return;
    try {
      ws.close(code);
    } catch {
      ws.terminate(); // a code ws refuses to send (e.g. 1005/1006): drop the connection instead
    }
  }

  /** Ends every socket at once (the VU is gone). */
  terminateAll() {
    for (const ws of this.sockets.values()) ws.terminate();
    this.sockets.clear();
  }
}
