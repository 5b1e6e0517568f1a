// The VU side of the VU <-> coordinator link. A k6 VU is synchronous (ws.connect and http.get block),
// so the VU thread blocks here with Atomics.wait and drains its port with receiveMessageOnPort,
// while the coordinator thread does the actual network I/O and wakes it with Atomics.notify.
import { receiveMessageOnPort } from 'node:worker_threads';

/** Thrown out of any blocking call once the coordinator interrupts the VU (graceful stop expired). */
export class InterruptedError extends Error {
  constructor() { super('iteration interrupted: graceful stop expired'); this.name = 'InterruptedError'; }
}

const SAMPLE_FLUSH_SIZE = 256; // metric samples buffered before an eager flush

let link = null;
let interrupted = false;
let nextCallId = 1;
const parked = []; // messages that arrived while waiting for something else
let samples = [];
let dropFilter = () => false; // messages nobody will ever wait for (e.g. events of closed sockets)

/** Binds this thread to its coordinator port and wake-up flag (called once by the VU entry). */
export function attach(port, flagBuffer) {
  link = { port, flag: new Int32Array(flagBuffer) };
}

/** Fire-and-forget message to the coordinator. */
export function post(message) {
  link.port.postMessage(message);
}

/** Queues one metric sample; they travel in batches. */
export function emitSample(sample) {
  samples.push(sample);
  if (samples.length >= SAMPLE_FLUSH_SIZE) flushSamples();
}

export function flushSamples() {
  if (samples.length === 0) return;
  post({ op: 'samples', samples });
  samples = [];
}

function take(filter) {
  const index = parked.findIndex(filter);
  return index >= 0 ? parked.splice(index, 1)[0] : null;
}

function receive() {
  const received = receiveMessageOnPort(link.port);
  if (!received) return null;
  if (received.message.kind === 'interrupt') { interrupted = true; return null; }
  if (dropFilter(received.message)) return receive();
  return received.message;
}

/**
 * Blocks until a message matching `filter` arrives or `deadline` (epoch ms, Infinity = none) passes.
 * Other messages are parked for their own waiter. Returns null on timeout.
 */
export function waitFor(filter, deadline = Infinity) {
  flushSamples();
  for (;;) {
    if (interrupted) throw new InterruptedError();
    const early = take(filter);
    if (early) return early;
    const seen = Atomics.load(link.flag, 0);
    let message;
    while ((message = receive()) !== null) {
      if (filter(message)) return message;
      parked.push(message);
    }
    if (interrupted) throw new InterruptedError();
    const left = deadline - Date.now();
    if (left <= 0) return null;
    Atomics.wait(link.flag, 0, seen, Math.min(left, 2_147_483_647));
  }
}

/** From now on, drops messages matching `filter` (and those already parked) instead of parking them. */
export function dropWhere(filter) {
  dropFilter = filter;
  for (let i = parked.length - 1; i >= 0; i--) if (filter(parked[i])) parked.splice(i, 1);
}

/** Blocking request/response with the coordinator; throws the coordinator's error message. */
export function call(op, payload = {}, timeoutMs = Infinity) {
  const id = nextCallId++;
  post({ op, id, ...payload });
  const deadline = timeoutMs === Infinity ? Infinity : Date.now() + timeoutMs;
  const reply = waitFor((m) => m.kind === 'reply' && m.id === id, deadline);
  if (!reply) throw new Error(`${op} timed out after ${timeoutMs} ms`);
  if (reply.error) throw new Error(reply.error);
  return reply.result;
}

/** Sleeps without burning CPU, but still wakes up for an interrupt. */
export function pause(ms) {
  waitFor(() => false, Date.now() + ms);
}

export const isInterrupted = () => interrupted;
