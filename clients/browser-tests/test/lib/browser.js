// Debian's headless Chromium under playwright-core (never a browser download), and the demo
// page driven the way a person would: sign in, type, press Enter.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { instrumentPage } from './page-instrumentation.js';
import { TARGET_DIR } from './relay-server.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/**
 * Flags for this machine: no sandbox as root, no GPU, and none of Chromium's own background
 * traffic (the network is closed; those connections only fail). Playwright adds a fresh
 * temporary --user-data-dir itself (and removes it on close); it refuses one passed here.
 */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const STEP_TIMEOUT_MS = 15_000; // any one wait on the page (Playwright's default is 30 s)
const VIEWPORT = { width: 1100, height: 720 };

export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium chromium-driver`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, timeout: 30_000 });
}

/** A fresh context (own storage) with one instrumented page on the demo at `origin`. */
export async function openDemo(browser, origin) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  await context.addInitScript(instrumentPage);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
  await page.goto(`${origin}/`);
  await waitForDemo(page);
  return { context, page };
}

/** The demo mounts after it loaded the SDK (a dynamic import that may end after `load`). */
export async function waitForDemo(page) {
  await page.waitForFunction(() => window.relayDemo !== undefined, null, { polling: 50 });
}

/** Sign in through the form (a dev token for `sub`) and wait for the badge to say connected. */
export async function signIn(page, sub) {
  await page.getByTestId('login-user').fill(sub);
  await page.getByTestId('login-submit').click();
  await waitForConnected(page);
}

export async function waitForConnected(page) {
  await page.waitForSelector('[data-testid="badge"][data-state="open"]');
}

/** Type `text` into the composer and press Enter, as a person would. */
export async function sendMessage(page, text) {
  const input = page.getByTestId('message-input');
  await input.fill(text);
  await input.press('Enter');
}

/** Wait until the SDK emitted the first chunk of a reply: the moment to act "mid-reply". */
export async function waitForFirstChunk(page) {
  await page.waitForFunction(() => window.__relayTest.frames.some((f) => f.kind === 'chunk'), null, { polling: 20 });
}

/** What `__relayTest` recorded on the current document. */
export function pageRecord(page) {
  return page.evaluate(() => window.__relayTest);
}

/** WebSocket constructions on the current document. */
export function webSocketCount(page) {
  return page.evaluate(() => window.__relayTest.webSockets);
}

/** Save target/<name>.png. */
export async function screenshot(page, name) {
  mkdirSync(TARGET_DIR, { recursive: true });
  await page.screenshot({ path: path.join(TARGET_DIR, `${name}.png`) });
}
