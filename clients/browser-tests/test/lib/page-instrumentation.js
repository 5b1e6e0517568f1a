// Runs in the page before any of its scripts (Playwright `addInitScript`): counts WebSocket
// constructions, records what each socket received and how it closed, and records every frame,
// reset and state the SDK emits (through the demo's `relay-demo:client` event).
// Everything lands in `window.__relayTest`; it is per document, so a reload starts it afresh.
export function instrumentPage() {
  const record = {
    webSockets: 0, // WebSocket constructions on this document
    received: [], // {socket, type, thread?, seq?} of every message received
    sent: [], // {socket, type, resume?, tokenExp?} of every message sent
    closes: [], // {socket, code, reason, wasClean}
    frames: [], // {thread, epoch, seq, id, kind} in the order the SDK emitted them
    resets: [], // {thread, epoch, seqs}
    states: [], // {state, code?, reason?}
    clients: 0,
  };
  window.__relayTest = record;

  /** The `exp` claim of a JWT, or null. */
  const expOf = (token) => {
    try {
      return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).exp ?? null;
    } catch {
      return null;
    }
  };

  const NativeWebSocket = window.WebSocket;
  class CountedWebSocket extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      const socket = ++record.webSockets;
      this.socketNumber = socket;
      this.addEventListener('message', (event) => {
        try {
          const msg = JSON.parse(event.data);
          record.received.push({ socket, type: msg.type, thread: msg.thread, seq: msg.seq });
        } catch {
          record.received.push({ socket, type: '(not json)' });
        }
      });
      this.addEventListener('close', (event) => {
        record.closes.push({ socket, code: event.code, reason: event.reason, wasClean: event.wasClean });
      });
    }

    send(data) {
      try {
        const msg = JSON.parse(data);
        const entry = { socket: this.socketNumber, type: msg.type };
        if (msg.resume) entry.resume = msg.resume;
        if (msg.token) entry.tokenExp = expOf(msg.token);
        record.sent.push(entry);
      } catch {
        record.sent.push({ socket: this.socketNumber, type: '(not json)' });
      }
      super.send(data);
    }
  }
  window.WebSocket = CountedWebSocket;

  window.addEventListener('relay-demo:client', (event) => {
    const client = event.detail;
    record.clients++;
    client.on('frame', (f) => record.frames.push({ thread: f.thread, epoch: f.epoch, seq: f.seq, id: f.id, kind: f.kind }));
    client.on('reset', (r) => record.resets.push({ thread: r.thread, epoch: r.epoch, seqs: r.frames.map((f) => f.seq) }));
    client.on('state', (state, detail) => record.states.push({ state, code: detail?.code, reason: detail?.reason }));
  });
}
