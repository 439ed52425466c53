// Debian's Chromium, headless, for the browser suites: a fresh profile each
// run, and nothing reachable but the one origin under test.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { before, after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Returns { context, close }; requests to any other origin are aborted, so
// Swagger UI cannot depend on anything outside the service (fonts, CDNs).
export async function launch(origin) {
  const profile = mkdtempSync(join(tmpdir(), 'rolebase-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    // Root needs --no-sandbox; the rest keep Chromium off the network, which
    // is closed here and would only slow the start with failed lookups.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
  await context.route('**/*', (route) =>
    new URL(route.request().url()).origin === origin ? route.continue() : route.abort(),
  );
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

// What went wrong in a page: exceptions, and what the content security
// policy blocked (reported on the console).
export function watch(page) {
  const problems = { pageErrors: [], refused: [] };
  page.on('pageerror', (error) => problems.pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      problems.refused.push(message.text());
    }
  });
  return problems;
}

// The operation's block in Swagger UI, found by its path rather than by the
// DOM id Swagger UI derives from the tag and operationId.
export function operation(page, method, path) {
  return page.locator(`.opblock.opblock-${method}`, {
    has: page.locator(`.opblock-summary-path[data-path="${path}"]`),
  });
}

// After Execute: the live answer's status and body.
export async function liveAnswer(block) {
  const live = block.locator('.live-responses-table');
  const status = live.locator('tbody .response .response-col_status').first();
  const body = live
    .locator('.response-col_description pre.microlight, .response-col_description .highlight-code pre')
    .first();
  await body.waitFor();
  return { status: (await status.innerText()).trim(), body: await body.innerText() };
}

// The service a suite drives, from the environment `variable`, and the
// browser its tests share: launched before them with only that origin
// reachable, closed after them. `browser.context` is set once they run.
export function sharedBrowser(variable) {
  const url = (process.env[variable] ?? '').replace(/\/+$/, '');
  const browser = {};
  before(async () => {
    assert.ok(url, `set ${variable} to the running service, e.g. http://127.0.0.1:8080`);
    Object.assign(browser, await launch(new URL(url).origin));
  });
  after(async () => {
    await browser.close?.();
  });
  return { url, browser };
}

// Where a test's picture goes: kept on failure too, it shows what a person
// would have seen.
export function screenshotPath(name) {
  const folder = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
  mkdirSync(folder, { recursive: true });
  return join(folder, name);
}
