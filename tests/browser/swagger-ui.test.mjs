// Swagger UI as a developer uses it: open the requirements operation, try it
// out on a real role and read the live answer. Needs a running service at
// ROLEBASE_URL and Debian's Chromium (apt-get install chromium).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveAnswer, operation as operationBlock, screenshotPath, sharedBrowser, watch } from './chromium.mjs';

const { url: BASE_URL, browser } = sharedBrowser('ROLEBASE_URL');

test('Swagger UI runs GET /roles/{id}/requirements for technical-lead', { timeout: 90_000 }, async () => {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(20_000);
  const { pageErrors, refused } = watch(page);

  await page.goto(`${BASE_URL}/swagger-ui/`);
  const operation = operationBlock(page, 'get', '/roles/{id}/requirements');
  try {
    await operation.locator('.opblock-summary-control').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();

    const id = operation.locator('tr[data-param-name="id"][data-param-in="path"] input');
    await id.fill('technical-lead');
    await operation.getByRole('button', { name: 'Execute' }).click();

    const { status, body: text } = await liveAnswer(operation);
    assert.equal(status, '200');
    const requestUrl = await operation.locator('.request-url pre').innerText();
    assert.match(requestUrl, /\/roles\/technical-lead\/requirements$/);

    assert.match(text, /"slug":\s*"technical-lead"/);
    assert.match(text, /"education_level":\s*"bachelor"/);
    assert.match(text, /"min_years":\s*3\b/);
    assert.deepEqual(pageErrors, [], 'Swagger UI threw in the page');
    assert.deepEqual(refused, [], 'the content security policy blocked part of Swagger UI');
  } finally {
    // Kept on failure too: the picture shows what the developer would see.
    const path = screenshotPath('swagger-requirements.png');
    await operation
      .screenshot({ path, timeout: 5_000 })
      .catch(() => page.screenshot({ path, fullPage: true }));
  }
});

test('Swagger UI authorizes with an API key and creates a role through POST /roles', { timeout: 90_000 }, async () => {
  const apiKey = process.env.ROLEBASE_API_KEY;
  assert.ok(apiKey, 'set ROLEBASE_API_KEY to a write key of the running service');
  const page = await browser.context.newPage();
  page.setDefaultTimeout(20_000);
  const { pageErrors, refused } = watch(page);
  const slug = `browser-made-${Date.now()}`;

  await page.goto(`${BASE_URL}/swagger-ui/`);
  const operation = operationBlock(page, 'post', '/roles');
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

    const { status, body } = await liveAnswer(operation);
    assert.equal(status, '201');
    assert.match(body, new RegExp(`"slug":\\s*"${slug}"`));
    // The curl line Swagger UI shows carries the key it was given.
    assert.match(await operation.locator('.curl-command').innerText(), /Authorization: Bearer rb_/);
    assert.deepEqual(pageErrors, [], 'Swagger UI threw in the page');
    assert.deepEqual(refused, [], 'the content security policy blocked part of Swagger UI');

    // The role is really there, for anyone to read.
    const read = await fetch(`${BASE_URL}/roles/${slug}`);
    assert.equal(read.status, 200);
    assert.equal((await read.json()).title, 'Browser Made Lead');
  } finally {
    const path = screenshotPath('swagger-create-role.png');
    await operation
      .screenshot({ path, timeout: 5_000 })
      .catch(() => page.screenshot({ path, fullPage: true }));
  }
});
