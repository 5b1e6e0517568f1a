// The connection lifecycle: connect, hello, close policy, backoff, liveness watchdog and probes,
// reacting to online/visibility. Part of the browser SDK (see index.js).

import { ABNORMAL_CLOSE, CLIENT_DROP_CODE, OVERLOAD_CODES, PROTOCOL, RelayError, backoffDelay, closePolicy } from './protocol.js';

/** Methods of RelayClient (installed on its prototype by index.js); `this` is the client. */
export const connectionMethods = {
  async _connect(tokenReason) {
    if (this._phase === 'closed') return; // close() was called before this attempt started
    this._clearTimer(this._retryTimer);
    this._retryTimer = null;
    const conn = ++this._conn;
    this._phase = 'connecting';
    this._openedAt = null;
    this._setState('connecting', { attempt: this._attempt });
    let token;
    try {
      token = await this._getToken({ reason: tokenReason });
    } catch (err) {
      if (conn !== this._conn || this._phase === 'closed') return;
      this._emitError('token_error', `getToken failed: ${err?.message ?? err}`);
      this._scheduleReconnect(ABNORMAL_CLOSE, 'getToken failed', tokenReason);
      return;
    }
    if (conn !== this._conn || this._phase === 'closed') return;
    let ws;
    try {
      ws = new this._WebSocket(this.url, [PROTOCOL]);
    } catch (err) {
      this._terminate(ABNORMAL_CLOSE, `cannot open a WebSocket to ${this.url}: ${err?.message ?? err}`);
      return;
    }
    this._ws = ws;
    this._lastHeard = this._now();
    this._armWatchdog(this._cfg.connectTimeoutMs);
    ws.onopen = () => {
      if (this._ws === ws) this._sendHello(token);
    };
    ws.onmessage = (event) => {
      if (this._ws === ws) this._onMessage(event.data);
    };
    ws.onclose = (event) => {
      if (this._ws === ws) this._onClose(event.code, event.reason);
    };
    ws.onerror = () => {}; // a close event always follows an error; handled there
  },

  _sendHello(token) {
    const resume = [];
    for (const sub of this._subs.values()) {
      if (sub.state === 'resetting') continue; // subscribes itself once the reload is done
      sub.state = 'subscribing';
      sub.requestedOn = this._conn;
      sub.acked = sub.seq;
      const entry = { thread: sub.thread, after: sub.seq };
      if (sub.epoch) entry.epoch = sub.epoch;
      resume.push(entry);
    }
    const hello = { type: 'hello', resume };
    if (token) hello.token = token;
    this._transmit(hello);
  },

  _onWelcome(msg) {
    this._phase = 'open';
    this._openedAt = this._now();
    this.session = msg.session ?? null;
    this.heartbeat = Number.isFinite(msg.heartbeat) && msg.heartbeat > 0 ? msg.heartbeat : this._cfg.heartbeatMs;
    this.exp = msg.exp ?? null;
    if (!this._overloaded) this._attempt = 0;
    this._armWatchdog(this.heartbeat + this._cfg.deadSlackMs);
    for (const sub of this._subs.values()) {
      if (sub.state === 'subscribing' && sub.requestedOn !== this._conn) this._requestSubscribe(sub);
    }
    for (const pending of this._sends.values()) this._transmitSend(pending);
    for (const command of this._cancels.splice(0)) this._transmit(command);
    this._setState('open', { session: this.session, heartbeat: this.heartbeat });
  },

  _onClose(code, reason) {
    this._dropSocket();
    const policy = closePolicy(code);
    if (policy === 'stop') {
      this._terminate(code, reason);
      return;
    }
    this._scheduleReconnect(code, reason, policy === 'reauth' ? 'unauthorized' : 'reconnect');
  },

  _scheduleReconnect(code, reason, tokenReason) {
    const lasted = this._openedAt === null ? -1 : this._now() - this._openedAt;
    if (lasted >= 0 && (!this._overloaded || lasted >= this._cfg.stableAfterMs)) {
      this._attempt = 0; // the last connection worked: start the backoff over
      this._overloaded = false;
    }
    if (OVERLOAD_CODES.has(code)) this._overloaded = true;
    const delay = backoffDelay(this._attempt, this._random, this._cfg.backoffBaseMs, this._cfg.backoffCapMs);
    this._attempt++;
    this._phase = 'waiting';
    this._openedAt = null;
    this._nextTokenReason = tokenReason;
    this._retryTimer = this._setTimeout(() => {
      this._retryTimer = null;
      this._connect(tokenReason);
    }, delay);
    this._setState('reconnecting', {
      code,
      reason: reason ?? '',
      delay,
      attempt: this._attempt,
      retryAt: this._now() + delay,
    });
  },

  _retryNow() {
    if (this._phase !== 'waiting') return;
    this._connect(this._nextTokenReason);
  },

  /** Browser came online or the tab became visible: retry now, or probe a connection that may have died asleep. */
  _wake() {
    if (this._phase === 'waiting') {
      this._retryNow();
      return;
    }
    if (this._phase !== 'open') return;
    if (this._checkAlive()) this._probe();
  },

  _probe() {
    const heardBefore = this._messagesHeard;
    this._transmit({ type: 'ping' });
    this._clearTimer(this._probeTimer);
    this._probeTimer = this._setTimeout(() => {
      this._probeTimer = null;
      if (this._ws && this._messagesHeard === heardBefore) this._declareDead('no answer to a ping');
    }, this._cfg.probeTimeoutMs);
  },

  _armWatchdog(limitMs) {
    this._deadLimit = limitMs;
    this._clearTimer(this._watchdog);
    this._watchdog = this._setTimeout(() => {
      this._watchdog = null;
      this._checkAlive();
    }, limitMs);
  },

  /** True when the connection has been heard from recently enough; declares it dead otherwise. */
  _checkAlive() {
    if (!this._ws) return false;
    const silent = this._now() - this._lastHeard;
    if (silent >= this._deadLimit) {
      this._declareDead(`no message for ${silent} ms`);
      return false;
    }
    this._clearTimer(this._watchdog);
    this._watchdog = this._setTimeout(() => {
      this._watchdog = null;
      this._checkAlive();
    }, this._deadLimit - silent);
    return true;
  },

  _declareDead(reason) {
    const ws = this._dropSocket();
    try {
      ws?.close(CLIENT_DROP_CODE, 'dead connection');
    } catch (err) {
      this._events.reportError(err);
    }
    this._scheduleReconnect(ABNORMAL_CLOSE, reason, 'reconnect');
  },

  /** Detach the current socket (its late events are ignored) and stop its timers. */
  _dropSocket() {
    const ws = this._ws;
    this._ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
    }
    this._clearTimer(this._watchdog);
    this._clearTimer(this._probeTimer);
    this._clearTimer(this._ackTimer);
    this._watchdog = this._probeTimer = this._ackTimer = null;
    for (const sub of this._subs.values()) {
      if (sub.state !== 'resetting') sub.state = 'subscribing'; // resumed on the next connection
    }
    if (this._phase === 'open') this._phase = 'connecting';
    return ws;
  },

  _terminate(code, reason) {
    this._conn++; // results of a getToken or reload still in flight are discarded
    this._phase = 'closed';
    this._clearTimer(this._retryTimer);
    this._retryTimer = null;
    this._listenToEnvironment(false);
    const error = new RelayError('closed', `connection closed (${code}${reason ? `: ${reason}` : ''})`, { closeCode: code });
    for (const pending of this._sends.values()) {
      this._clearTimer(pending.timer);
      pending.reject(error);
    }
    this._sends.clear();
    this._cancels = [];
    for (const sub of this._subs.values()) {
      this._clearTimer(sub.retryTimer);
      sub.retryTimer = null;
      sub.generation++;
      sub.state = 'subscribing'; // kept, so connect() resumes it
      for (const w of sub.waiters.splice(0)) w.reject(error);
    }
    this._setState('closed', { code, reason: reason ?? '' });
  },

  _listenToEnvironment(on) {
    const method = on ? 'addEventListener' : 'removeEventListener';
    this._window?.[method]?.('online', this._onOnline);
    this._document?.[method]?.('visibilitychange', this._onVisibility);
  },
};
