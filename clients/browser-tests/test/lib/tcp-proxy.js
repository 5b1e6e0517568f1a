// A TCP proxy between the browser and the relay that the tests control: it counts WebSocket
// connections, cuts them (like a dropped network), holds traffic (like a dead link) and can cut
// a connection at the moment the server sends a given text (e.g. the first chunk of a reply).
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
    this.held = false;
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

  /** Stop forwarding in both directions (bytes wait in the sockets), as a link that went dead. */
  hold() {
    this.held = true;
    for (const pair of this.pairs) {
      pair.client.pause();
      pair.upstream.pause();
    }
  }

  /** Forward again everything held, as a link that came back before TCP gave up. */
  release() {
    this.held = false;
    for (const pair of this.pairs) {
      pair.client.resume();
      pair.upstream.resume();
    }
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
    if (this.held) {
      client.pause();
      upstream.pause();
    }
    client.on('data', (chunk) => {
      if (pair.isWebSocket === null) {
        pair.isWebSocket = chunk.toString('latin1', 0, 8).startsWith('GET /ws');
        if (pair.isWebSocket) this.webSocketsOpened++;
      }
      if (!upstream.write(chunk)) client.pause(), upstream.once('drain', () => this.held || client.resume());
    });
    upstream.on('data', (chunk) => {
      if (pair.isWebSocket && this.trigger && this.matches(pair, chunk)) {
        const { resolve } = this.trigger;
        this.trigger = null;
        pair.cut();
        resolve(pair.id);
        return;
      }
      if (!client.write(chunk)) upstream.pause(), client.once('drain', () => this.held || upstream.resume());
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
