// Test helper: runs one k6 script through the shim against a fresh fake relay.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startFakeRelay } from './fake/relay.mjs';

export const SECRET = 'shim-test-secret-0123456789abcdef';
const RUNNER = fileURLToPath(new URL('../run.mjs', import.meta.url));
const RUN_LIMIT_MS = 90_000; // no single run may take longer than this

export const scriptPath = (name) => fileURLToPath(new URL(`../../${name}`, import.meta.url));

/**
 * @param script file name under k6/ (e.g. 'chat.js')
 * @param env environment for the script (RELAY_URL and the secret are filled in)
 * @param args extra runner arguments (e.g. ['--vus', '2', '--iterations', '2'])
 * @param relay options of the fake relay
 * @returns {{ code, out, stats }}
 */
export async function runScript(script, { env = {}, args = [], relay = {} } = {}) {
  const server = await startFakeRelay({ secret: SECRET, ...relay });
  try {
    const child = spawn(process.execPath, [RUNNER, scriptPath(script), ...args], {
      env: { ...process.env, RELAY_URL: server.url, RELAY_JWT_HS256_SECRET: SECRET, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const killer = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS);
    const code = await new Promise((resolve) => child.on('close', (c, signal) => resolve(c ?? signal)));
    clearTimeout(killer);
    return { code, out, stats: { ...server.stats } };
  } finally {
    await server.close();
  }
}

/** Fast settings for the scripts against the fake relay. */
export const FAST = { SEND_INTERVAL_MS: '100', REPLY_TIMEOUT_MS: '3000', STORM_PERIOD_MS: '500' };
