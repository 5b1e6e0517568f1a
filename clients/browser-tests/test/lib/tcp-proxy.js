// A TCP proxy between the browser and the relay that the tests control: it counts WebSocket
// connections, cuts them (like a dropped network), stalls them (like a link that died silently)
// and can cut one at the moment the server sends a given text (e.g. the first chunk of a reply).
import net from 'node:net';

/** Bytes kept from the end of earlier reads, so a pattern split across two reads still matches. */
const PATTERN_TAIL_BYTES = 256;

/** One accepted browser connection and its upstream socket to the relay. */
class Pair {
  constructor(id, client, upstream) {
    this.id = id;
    this.client = client;
    this.upstream = upstream;
    this.isWebSocket = null; // known from the first request line: `GET /ws`
    this.serverTail = '';
    this.stalled = false; // see TcpProxy.stallWebSockets
  }

  /** Drop both sides at once with a TCP reset, as a broken network would. */
  cut() {
    for (const socket of [this.client, this.upstream]) {
      if (!socket.destroyed) socket.resetAndDestroy();
    }
  }
}

export class TcpProxy {
  /** @param {{host: string, port: number}} target where the relay listens */
  constructor(target) {
    this.target = target;
    this.pairs = new Set();
    this.nextId = 1;
    this.webSocketsOpened = 0; // every `GET /ws` connection ever accepted
    this.trigger = null; // {pattern, resolve}: cut the WebSocket whose server bytes contain pattern
    this.server = net.createServer((client) => this.accept(client));
  }

  /** Listen on a free loopback port; resolves with this proxy (see `port`). */
  async start() {
    await new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', resolve);
    });
    this.port = this.server.address().port;
    return this;
  }

  get origin() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** WebSocket connections open right now. */
  openWebSockets() {
    return [...this.pairs].filter((p) => p.isWebSocket && !p.client.destroyed);
  }

  /** Cut every open WebSocket connection; returns how many were cut. */
  cutWebSockets() {
    const open = this.openWebSockets();
    for (const pair of open) pair.cut();
    return open.length;
  }

  /**
   * Cut the WebSocket connection on which the server next sends bytes containing `pattern`,
   * before those bytes reach the browser. Resolves when the cut happened.
   */
  cutWhenServerSends(pattern) {
    if (this.trigger) throw new Error('a cut is already armed');
    return new Promise((resolve) => {
      this.trigger = { pattern, resolve };
    });
  }

  /**
   * Stop forwarding on every open WebSocket connection, for good, without closing it: a link
   * that died silently (no FIN, no RST reaches either side). Returns how many were stalled.
   */
  stallWebSockets() {
    const open = this.openWebSockets().filter((pair) => !pair.stalled);
    for (const pair of open) {
      pair.stalled = true;
      pair.client.pause();
      pair.upstream.pause();
    }
    return open.length;
  }

  /** End the stalled connections, as TCP finally gives up on a dead link; returns how many. */
  cutStalled() {
    const stalled = [...this.pairs].filter((pair) => pair.stalled);
    for (const pair of stalled) pair.cut();
    return stalled.length;
  }

  /** Stop listening and drop every connection. */
  async close() {
    for (const pair of this.pairs) pair.cut();
    this.pairs.clear();
    await new Promise((resolve) => this.server.close(() => resolve()));
  }

  accept(client) {
    const upstream = net.connect(this.target.port, this.target.host);
    const pair = new Pair(this.nextId++, client, upstream);
    this.pairs.add(pair);
    const forget = () => {
      this.pairs.delete(pair);
      pair.cut();
    };
    for (const socket of [client, upstream]) {
      socket.setNoDelay(true);
      socket.on('error', forget); // a reset on one side ends the pair
      socket.on('close', forget);
    }
    client.on('data', (chunk) => {
      if (pair.stalled) return; // read before the stall: a dead link delivers it never
      if (pair.isWebSocket === null) {
        pair.isWebSocket = chunk.toString('latin1', 0, 8).startsWith('GET /ws');
        if (pair.isWebSocket) this.webSocketsOpened++;
      }
      this.forward(pair, client, upstream, chunk);
    });
    upstream.on('data', (chunk) => {
      if (pair.stalled) return;
      if (pair.isWebSocket && this.trigger && this.matches(pair, chunk)) {
        const { resolve } = this.trigger;
        this.trigger = null;
        pair.cut();
        resolve(pair.id);
        return;
      }
      this.forward(pair, upstream, client, chunk);
    });
  }

  /** Write `chunk` from one side to the other, reading no more from `from` while `to` is full. */
  forward(pair, from, to, chunk) {
    if (to.write(chunk)) return;
    from.pause();
    to.once('drain', () => {
      if (!pair.stalled) from.resume();
    });
  }

  matches(pair, chunk) {
    const text = pair.serverTail + chunk.toString('latin1');
    pair.serverTail = text.slice(-PATTERN_TAIL_BYTES);
    return text.includes(this.trigger.pattern);
  }
}

/** A started proxy to `target`. */
export function startProxy(target) {
  return new TcpProxy(target).start();
}
