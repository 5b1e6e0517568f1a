// Coordinator side of one VU thread: starts the worker, serves its requests (sockets, HTTP,
// iteration permits), records its metrics and checks, and wakes it whenever something arrives.
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { performRequest } from './http-bridge.mjs';
import { WsBridge } from './ws-bridge.mjs';

const WORKER = new URL('./vu-worker.mjs', import.meta.url);
const EXIT_GRACE_MS = 2000; // after an interrupt, how long a VU may take before it is terminated

export class VuHost {
  /**
   * @param run shared run state: { script, env, store, checks, gate, onLog }
   * @param phase 'init' | 'setup' | 'vu' | 'teardown'
   */
  constructor(run, phase, vu, data) {
    this.run = run;
    this.phase = phase;
    this.vu = vu;
    this.iter = 0;
    this.result = null;
    this.fatal = null;
    const channel = new MessageChannel();
    const flagBuffer = new SharedArrayBuffer(4);
    this.flag = new Int32Array(flagBuffer);
    this.port = channel.port1;
    this.ws = new WsBridge((message) => this.deliver(message));
    this.worker = new Worker(WORKER, {
      workerData: { phase, script: run.script, vu, env: run.env, port: channel.port2, flagBuffer, data },
      transferList: [channel.port2],
    });
    this.ready = new Promise((resolve) => { this.markReady = resolve; });
    this.port.on('message', (message) => this.handle(message));
    this.exited = new Promise((resolve) => {
      this.worker.on('error', (err) => { this.fatal ??= err.stack || err.message; });
      this.worker.on('exit', () => {
        this.markReady(); // a VU that died while loading must not hold the start back
        // Messages the thread posted just before it ended may not have been dispatched yet.
        for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) this.handle(m.message);
        this.ws.terminateAll();
        this.port.close();
        resolve();
      });
    });
  }

  deliver(message) {
    this.port.postMessage(message);
    Atomics.add(this.flag, 0, 1);
    Atomics.notify(this.flag, 0);
  }

  reply(id, result) {
    this.deliver({ kind: 'reply', id, result });
  }

  async handle(message) {
    const { run } = this;
    switch (message.op) {
      case 'metric': run.store.define(message.name, message.type, message.isTime); break;
      case 'samples': for (const s of message.samples) run.store.add(s); break;
      case 'check': {
        const c = run.checks.get(message.name) ?? { pass: 0, fail: 0 };
        c[message.ok ? 'pass' : 'fail']++;
        run.checks.set(message.name, c);
        break;
      }
      case 'iter.next':
        run.gate.next((go) => this.reply(message.id, { go, iter: go ? this.iter++ : -1 }));
        break;
      case 'ready': this.markReady(); break;
      case 'iteration': run.onIteration(this.vu, message); break;
      case 'ws.open': this.ws.open(message); break;
      case 'ws.send': this.ws.send(message); break;
      case 'ws.ping': this.ws.ping(message); break;
      case 'ws.close': this.ws.close(message); break;
      case 'http.request': this.reply(message.id, await performRequest(message)); break;
      case 'init': case 'setup': case 'teardown': case 'done': this.result = message; break;
      case 'fatal': this.fatal = message.error; break;
      default: this.fatal = `unknown request from VU: ${message.op}`;
    }
  }

  /** Interrupts blocking calls, then terminates the thread if it does not finish promptly. */
  async interrupt() {
    this.deliver({ kind: 'interrupt' });
    const timer = setTimeout(() => this.worker.terminate(), EXIT_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }
}
