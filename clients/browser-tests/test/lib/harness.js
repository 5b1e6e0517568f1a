// One system under test: the relay jar on a free port, the proxy in front of it (the page's
// origin), the HTTP API client and a headless Chromium. `stop()` ends all of it, bounded.
import { launchBrowser } from './browser.js';
import { RelayApi } from './relay-api.js';
import { freePort, startRelay } from './relay-server.js';
import { startProxy } from './tcp-proxy.js';
import { withTimeout } from './wait.js';

const BROWSER_CLOSE_TIMEOUT_MS = 10_000;

/** Variables every test instance gets: quick shutdown, and the proxy's origin allowed. */
function baseEnv(proxy) {
  return {
    RELAY_ALLOWED_ORIGINS: proxy.origin,
    RELAY_SHUTDOWN_TIMEOUT_MS: '3000',
    RELAY_DRAIN_GRACE_MS: '1000',
  };
}

export async function startSystem({ name, env = {} }) {
  const startedAt = Date.now();
  const port = await freePort();
  const proxy = await startProxy({ host: '127.0.0.1', port });
  // The JVM and Chromium start side by side: both take seconds on 2 cores.
  const [started, launched] = await Promise.allSettled([
    startRelay({ name, port, env: { ...baseEnv(proxy), ...env } }),
    launchBrowser(),
  ]);
  if (started.status === 'rejected' || launched.status === 'rejected') {
    await Promise.allSettled([started.value?.stop(), launched.value?.close(), proxy.close()]);
    throw started.reason ?? launched.reason;
  }
  const relay = started.value;
  const browser = launched.value;
  const startMs = Date.now() - startedAt;
  return {
    startMs, // how long the jar and Chromium took to come up
    relay,
    proxy,
    browser,
    api: new RelayApi(relay.url),
    origin: proxy.origin,
    /** Resolves with how long stopping took (ms). */
    async stop() {
      const stoppingAt = Date.now();
      // Playwright kills a browser it launched when this process exits, so a hung close only waits.
      await withTimeout(browser.close(), BROWSER_CLOSE_TIMEOUT_MS, 'Chromium to close').catch((err) => console.error(err.message));
      await proxy.close();
      await relay.stop();
      return Date.now() - stoppingAt;
    },
  };
}
