// Swagger UI as a developer uses it: open the requirements operation, try it
// out on a real role and read the live answer. Needs a running service at
// ROLEBASE_URL and Debian's Chromium (apt-get install chromium).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE_URL = (process.env.ROLEBASE_URL ?? '').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');

let profile;
let context;

before(async () => {
  assert.ok(BASE_URL, 'set ROLEBASE_URL to the running service, e.g. http://127.0.0.1:8080');
  // A fresh profile each run, so nothing cached from an earlier run is shown.
  profile = mkdtempSync(join(tmpdir(), 'rolebase-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
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
  // Only the service under test is reachable: Swagger UI must not depend on
  // anything outside it (fonts, validator badge, CDNs).
  const origin = new URL(BASE_URL).origin;
  await context.route('**/*', (route) =>
    new URL(route.request().url()).origin === origin ? route.continue() : route.abort(),
  );
});

after(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('Swagger UI runs GET /roles/{id}/requirements for technical-lead', { timeout: 90_000 }, async () => {
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // What the content security policy blocks is reported on the console.
  const refused = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      refused.push(message.text());
    }
  });

  await page.goto(`${BASE_URL}/swagger-ui/`);

  // Found by its path rather than by the DOM id Swagger UI derives from the
  // tag and operationId, so renaming either does not break the test.
  const operation = page.locator('.opblock.opblock-get', {
    has: page.locator('.opblock-summary-path[data-path="/roles/{id}/requirements"]'),
  });
  try {
    await operation.locator('.opblock-summary-control').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();

    const id = operation.locator('tr[data-param-name="id"][data-param-in="path"] input');
    await id.fill('technical-lead');
    await operation.getByRole('button', { name: 'Execute' }).click();

    const live = operation.locator('.live-responses-table');
    const status = live.locator('tbody .response .response-col_status').first();
    const body = live.locator('.response-col_description pre.microlight, .response-col_description .highlight-code pre').first();
    await body.waitFor();

    assert.equal((await status.innerText()).trim(), '200');
    const requestUrl = await operation.locator('.request-url pre').innerText();
    assert.match(requestUrl, /\/roles\/technical-lead\/requirements$/);

    const text = await body.innerText();
    assert.match(text, /"slug":\s*"technical-lead"/);
    assert.match(text, /"education_level":\s*"bachelor"/);
    assert.match(text, /"min_years":\s*3\b/);
    assert.deepEqual(pageErrors, [], 'Swagger UI threw in the page');
    assert.deepEqual(refused, [], 'the content security policy blocked part of Swagger UI');
  } finally {
    // Kept on failure too: the picture shows what the developer would see.
    mkdirSync(SCREENSHOTS, { recursive: true });
    const path = join(SCREENSHOTS, 'swagger-requirements.png');
    await operation
      .screenshot({ path, timeout: 5_000 })
      .catch(() => page.screenshot({ path, fullPage: true }));
  }
});

test('Swagger UI authorizes with an API key and creates a role through POST /roles', { timeout: 90_000 }, async () => {
  const apiKey = process.env.ROLEBASE_API_KEY;
  assert.ok(apiKey, 'set ROLEBASE_API_KEY to a write key of the running service');
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // What the content security policy blocks is reported on the console.
  const refused = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      refused.push(message.text());
    }
  });
  const slug = `browser-made-${Date.now()}`;

  await page.goto(`${BASE_URL}/swagger-ui/`);
  const operation = page.locator('.opblock.opblock-post', {
    has: page.locator('.opblock-summary-path[data-path="/roles"]'),
  });
  try {
    // Authorize: the key goes into the bearerAuth scheme of the dialog.
    await page.locator('.auth-wrapper .authorize').click();
    const dialog = page.locator('.modal-ux');
    await dialog.locator('input[type="text"], input[type="password"]').first().fill(apiKey);
    await dialog.getByRole('button', { name: 'Apply credentials' }).click();
    // Once applied, the dialog offers to remove them: the key was taken.
    await dialog.getByRole('button', { name: 'Remove authorization' }).waitFor();
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();

    await operation.locator('.opblock-summary-control').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    const document = {
      slug,
      title: 'Browser Made Lead',
      summary: 'A role created from Swagger UI by the browser suite.',
      description: 'Created through "Try it out" with an API key from the Authorize dialog.',
      family: 'software-engineering',
      track: 'hybrid',
      seniority: 'lead',
      skills: [{ skill: 'mentoring', importance: 'essential' }],
    };
    await operation.locator('textarea.body-param__text').fill(JSON.stringify(document, null, 2));
    await operation.getByRole('button', { name: 'Execute' }).click();

    const live = operation.locator('.live-responses-table');
    const status = live.locator('tbody .response .response-col_status').first();
    const body = live.locator('.response-col_description pre.microlight, .response-col_description .highlight-code pre').first();
    await body.waitFor();
    assert.equal((await status.innerText()).trim(), '201');
    assert.match(await body.innerText(), new RegExp(`"slug":\\s*"${slug}"`));
    // The curl line Swagger UI shows carries the key it was given.
    assert.match(await operation.locator('.curl-command').innerText(), /Authorization: Bearer rb_/);
    assert.deepEqual(pageErrors, [], 'Swagger UI threw in the page');
    assert.deepEqual(refused, [], 'the content security policy blocked part of Swagger UI');

    // The role is really there, for anyone to read.
    const read = await fetch(`${BASE_URL}/roles/${slug}`);
    assert.equal(read.status, 200);
    assert.equal((await read.json()).title, 'Browser Made Lead');
  } finally {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const path = join(SCREENSHOTS, 'swagger-create-role.png');
    await operation
      .screenshot({ path, timeout: 5_000 })
      .catch(() => page.screenshot({ path, fullPage: true }));
  }
});
