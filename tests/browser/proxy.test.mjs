// Swagger UI and the API behind a reverse proxy that serves them under a
// path prefix (scripts/test puts nginx in front of the service at
// ROLEBASE_PROXY_URL, e.g. http://127.0.0.1:8081/rolebase, sending
// X-Forwarded-Prefix): the page loads its document and calls the API under
// the prefix, and links and redirects keep it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveAnswer, operation as operationBlock, screenshotPath, sharedBrowser, watch } from './chromium.mjs';

const { url: PROXY_URL, browser } = sharedBrowser('ROLEBASE_PROXY_URL');

test('the proxy URL has a path prefix', () => {
  assert.notEqual(new URL(PROXY_URL).pathname, '/', 'the proxy URL must have a path prefix');
});

test('Swagger UI behind the proxy loads its document and calls the API under the prefix', { timeout: 90_000 }, async () => {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(20_000);
  const { pageErrors, refused } = watch(page);
  const requested = [];
  page.on('request', (request) => requested.push(request.url()));
  const failed = [];
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });

  await page.goto(`${PROXY_URL}/swagger-ui/`);
  const operation = operationBlock(page, 'get', '/roles/{id}/requirements');
  try {
    await operation.locator('.opblock-summary-control').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.locator('tr[data-param-name="id"][data-param-in="path"] input').fill('technical-lead');
    await operation.getByRole('button', { name: 'Execute' }).click();

    const { status, body } = await liveAnswer(operation);
    assert.equal(status, '200');
    assert.match(body, /"slug":\s*"technical-lead"/);
    assert.equal(
      await operation.locator('.request-url pre').innerText(),
      `${PROXY_URL}/roles/technical-lead/requirements`,
    );
    assert.ok(requested.includes(`${PROXY_URL}/openapi.json`), requested.join('\n'));
    const outside = requested.filter((url) => !url.startsWith(`${PROXY_URL}/`));
    assert.deepEqual(outside, [], 'every request of the page stays under the prefix');
    assert.deepEqual(failed, []);
    assert.deepEqual(pageErrors, [], 'Swagger UI threw in the page');
    assert.deepEqual(refused, [], 'the content security policy blocked part of Swagger UI');
  } finally {
    const path = screenshotPath('swagger-behind-proxy.png');
    await operation
      .screenshot({ path, timeout: 5_000 })
      .catch(() => page.screenshot({ path, fullPage: true }));
  }
});

test('links, redirects and the document server keep the prefix through the proxy', async () => {
  const prefix = new URL(PROXY_URL).pathname;

  const redirect = await fetch(`${PROXY_URL}/swagger-ui`, { redirect: 'manual' });
  assert.equal(redirect.status, 308);
  assert.equal(redirect.headers.get('location'), `${prefix}/swagger-ui/`);

  const first = await fetch(`${PROXY_URL}/roles?limit=2`);
  assert.equal(first.status, 200);
  const link = first.headers.get('link');
  const target = /^<([^>]+)>; rel="next"$/.exec(link ?? '')?.[1];
  assert.ok(target?.startsWith(`${prefix}/roles?`), `Link: ${link}`);
  const next = await fetch(new URL(target, PROXY_URL));
  assert.equal(next.status, 200);
  const firstIds = (await first.json()).items.map((role) => role.id);
  const nextIds = (await next.json()).items.map((role) => role.id);
  assert.equal(nextIds.length, 2);
  assert.ok(nextIds.every((id) => !firstIds.includes(id)), 'the next page, not the same one');

  const document = await (await fetch(`${PROXY_URL}/openapi.json`)).json();
  assert.equal(document.servers[0].url, prefix);
});
