// Runs in the page before any of its scripts (Playwright `addInitScript`): counts WebSocket
// constructions, records what each socket sent, received and how it closed, every frame, reset
// and state the SDK emits (through the demo's `relay-demo:client` event), and each text a reply
// element showed.
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
    replyTexts: {}, // replyTo -> every distinct text its assistant element showed, in order
  };
  window.__relayTest = record;

  // What a person saw: each text an assistant reply showed while it streamed.
  const watchReplies = () => {
    for (const el of document.querySelectorAll('[data-role="assistant"][data-reply-to]')) {
      const text = el.querySelector('[data-testid="message-text"]')?.textContent ?? '';
      const seen = (record.replyTexts[el.dataset.replyTo] ??= []);
      if (seen.at(-1) !== text) seen.push(text);
    }
  };
  new MutationObserver(watchReplies).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });

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
    client.on('frame', (f) => record.frames.push({ thread: f.thread, epoch: f.epoch, seq: f.seq, id: f.id, kind: f.kind, at: performance.now() }));
    client.on('reset', (r) => record.resets.push({ thread: r.thread, epoch: r.epoch, seqs: r.frames.map((f) => f.seq) }));
    client.on('state', (state, detail) => record.states.push({ state, code: detail?.code, reason: detail?.reason }));
  });
}
