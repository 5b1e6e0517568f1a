// Starts the relay jar (embedded mode: every role in one JVM, in-memory journal) on a free port
// and stops it again, both within bounded time.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '../../../..');
export const JAR = path.join(REPO_ROOT, 'launcher/target/relay.jar');
export const TARGET_DIR = path.resolve(HERE, '../../target');

const READY_TIMEOUT_MS = 60_000; // a cold JVM on 2 busy cores takes a few seconds; this is the bound
const STOP_TIMEOUT_MS = 10_000; // graceful stop (drain) before SIGKILL
/** Admin token of every test instance (the admin API is off without one). */
export const ADMIN_TOKEN = 'browser-tests-admin';

/** A free loopback TCP port (bound and released, so the jar can take it). */
export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Fails with a clear message when `mvn -B -q -o -DskipTests package` has not been run. */
export function requireJar() {
  if (!existsSync(JAR)) {
    throw new Error(`relay jar missing: ${JAR}\nBuild it first: (cd ${REPO_ROOT} && mvn -B -q -o -DskipTests package)`);
  }
}

/**
 * Start the jar with `env` (RELAY_* variables; the caller's own RELAY_* are not inherited) on
 * `port`; resolves once it logged READY. Its output goes to target/<name>-server.log.
 */
export async function startRelay({ name, port, env = {} }) {
  requireJar();
  mkdirSync(TARGET_DIR, { recursive: true });
  const logPath = path.join(TARGET_DIR, `${name}-server.log`);
  const log = createWriteStream(logPath);
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('RELAY_')));
  const child = spawn('java', ['-jar', JAR], {
    env: { ...inherited, RELAY_HTTP_PORT: String(port), RELAY_ADMIN_TOKEN: ADMIN_TOKEN, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const killOnExit = () => child.kill('SIGKILL'); // a crashed test run leaves no JVM behind
  process.once('exit', killOnExit);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`relay not READY within ${READY_TIMEOUT_MS} ms (log: ${logPath})`)), READY_TIMEOUT_MS);
    const onData = (chunk) => {
      seen = (seen + chunk.toString()).slice(-4096);
      if (seen.includes('READY')) done();
    };
    const done = () => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve();
    };
    const fail = (err) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    child.stdout.on('data', onData);
    exited.then(({ code, signal }) => fail(new Error(`relay exited before READY (code ${code}, signal ${signal}); log: ${logPath}`)));
  });

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    logPath,
    /** SIGTERM (graceful drain), SIGKILL after STOP_TIMEOUT_MS. */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
      process.off('exit', killOnExit);
      log.end();
    },
  };
}
