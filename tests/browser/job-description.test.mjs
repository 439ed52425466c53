// A job board's editor opens a role's HTML job description in a browser:
// it renders with its title, sections and pay, runs nothing, and carries the
// role's JSON-LD for search engines. Needs a running service at ROLEBASE_URL
// (with wages imported, as scripts/test does) and Debian's Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshotPath, sharedBrowser, watch } from './chromium.mjs';

const { url: BASE_URL, browser } = sharedBrowser('ROLEBASE_URL');

test('the HTML job description of technical-lead renders with its sections', { timeout: 60_000 }, async () => {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(20_000);
  const { pageErrors, refused } = watch(page);
  try {
    // What a browser asks for by default: Accept decides the format.
    const response = await page.goto(`${BASE_URL}/roles/technical-lead/job-description?seniority=senior`);
    assert.equal(response.status(), 200);
    assert.equal(response.headers()['content-type'], 'text/html; charset=utf-8');

    assert.equal(await page.title(), 'Senior Technical Lead');
    assert.equal(await page.locator('h1').innerText(), 'Senior Technical Lead');
    const headings = await page.locator('section h2').allInnerTexts();
    for (const heading of ['What you will do', 'What you bring', 'Nice to have', 'Pay', 'Sources']) {
      assert.ok(headings.includes(heading), `the "${heading}" section is shown: ${headings}`);
    }
    const duties = await page.locator('#what-you-will-do li').count();
    assert.ok(duties >= 5, `the responsibilities are listed: ${duties}`);
    const pay = await page.locator('#pay').innerText();
    assert.match(pay, /median pay of Software Developers \(SOC 15-1252\) is \$\d{1,3}(,\d{3})+ a year/);
    assert.match(pay, /Occupational Employment and Wage Statistics/);
    assert.ok(await page.locator('#pay').isVisible(), 'the pay is on the page, not hidden');

    const structured = JSON.parse(
      await page.locator('script[type="application/ld+json"]').textContent(),
    );
    assert.equal(structured['@type'], 'Occupation');
    assert.equal(structured.name, 'Senior Technical Lead');
    assert.equal(structured.estimatedSalary[0]['@type'], 'MonetaryAmountDistribution');

    assert.deepEqual(pageErrors, [], 'the page threw');
    assert.deepEqual(refused, [], 'the content security policy blocked part of the page');
  } finally {
    await page.screenshot({ path: screenshotPath('job-description.png'), fullPage: true });
  }
});
