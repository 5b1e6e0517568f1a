#!/usr/bin/env node
// Runs the fake relay alone, for trying a script by hand:
//   node test/fake/serve.mjs [fault-kind [seq]]   then   RELAY_URL=<printed url> node run.mjs ../chat.js
// It listens on RELAY_HTTP_PORT when set (like the relay), else on a free port.
import { startFakeRelay } from './relay.mjs';

const [kind, seq] = process.argv.slice(2);
const secret = process.env.RELAY_JWT_HS256_SECRET ?? 'fake-relay-secret';
const port = Number(process.env.RELAY_HTTP_PORT ?? 0);
const relay = await startFakeRelay({ secret, port, fault: kind ? { kind, seq: Number(seq ?? 5) } : null });
console.log(`fake relay on ${relay.url} (secret ${secret})${kind ? `, fault ${kind}` : ''}`);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => { await relay.close(); console.log(JSON.stringify(relay.stats)); process.exit(0); });
}
