// What the client sends: token refresh, history pages, subscribe and send commands, batched
// acks; and the state and error events. Part of the browser SDK (see index.js).

import { OPEN, RelayError } from './protocol.js';

/** Methods of RelayClient (installed on its prototype by index.js); `this` is the client. */
export const outboundMethods = {
  async _refreshToken() {
    const conn = this._conn;
    let token;
    try {
      token = await this._getToken({ reason: 'expiring' });
    } catch (err) {
      // Nothing else to do: the server closes with 4401 at expiry and the reconnect asks again.
      this._emitError('token_error', `getToken failed on token_expiring: ${err?.message ?? err}`);
      return;
    }
    if (conn === this._conn && this._phase === 'open' && token) this._transmit({ type: 'refresh', token });
  },

  // ---- outbound -------------------------------------------------------------------------

  async _fetchPage(thread, after) {
    if (!this._fetch) throw new RelayError('internal', 'no fetch available to load history');
    const token = await this._getToken({ reason: 'http' });
    const url = `${this.apiUrl}/api/threads/${encodeURIComponent(thread)}/frames?after=${after}&limit=${this._cfg.historyPageSize}`;
    const response = await this._fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null; // reported below with the status
    }
    if (!response.ok || !body || typeof body !== 'object') {
      const details = { status: response.status };
      const retryAfterS = Number(response.headers?.get?.('Retry-After'));
      if (response.status === 429 && Number.isFinite(retryAfterS) && retryAfterS >= 0) details.retryAfterMs = retryAfterS * 1000;
      throw new RelayError(body?.code ?? 'internal', body?.message ?? `history request answered HTTP ${response.status}`, details);
    }
    return body;
  },

  _requestSubscribe(sub) {
    const command = { type: 'subscribe', thread: sub.thread, after: sub.seq };
    if (sub.epoch) command.epoch = sub.epoch;
    sub.requestedOn = this._conn;
    sub.acked = sub.seq; // the server starts this subscription's ack window at `after`
    this._transmit(command);
  },

  _transmitSend(pending) {
    this._clearTimer(pending.timer);
    pending.timer = null;
    this._transmit({ type: 'send', thread: pending.thread, id: pending.id, text: pending.text });
  },

  _scheduleAck(sub) {
    if (sub.seq - sub.acked >= this._cfg.ackBatchSize) {
      this._flushAcks();
    } else if (!this._ackTimer) {
      this._ackTimer = this._setTimeout(() => {
        this._ackTimer = null;
        this._flushAcks();
      }, this._cfg.ackDelayMs);
    }
  },

  /** Cumulative acks: one `ack {thread, seq}` per thread with processed, unacknowledged frames. */
  _flushAcks() {
    this._clearTimer(this._ackTimer);
    this._ackTimer = null;
    if (this._phase !== 'open') return;
    for (const sub of this._subs.values()) {
      if (sub.state !== 'resetting' && sub.seq > sub.acked) {
        sub.acked = sub.seq;
        this._transmit({ type: 'ack', thread: sub.thread, seq: sub.seq });
      }
    }
  },

  _transmit(message) {
    const ws = this._ws;
    if (!ws || ws.readyState !== OPEN) return false;
    ws.send(JSON.stringify(message));
    return true;
  },

  // ---- helpers --------------------------------------------------------------------------

  _setState(state, detail) {
    this._state = state;
    this._events.emit('state', state, detail);
  },

  _emitError(code, message, ref) {
    const error = new RelayError(code, message, ref === undefined ? {} : { ref });
    this._events.emit('error', error);
  },

  _clearTimer(timer) {
    if (timer !== null && timer !== undefined) this._clearTimeout(timer);
  },
};
