// Links that can no longer take a payment, on a phone: each shows a page that says why, in the
// merchant's colours, with no pay button.
//   TINKO_CLOSED_PAGES  JSON: [{"url": ..., "status": 410, "heading": "This link has expired", "screenshot": "name"}]
//   TINKO_ARTIFACTS     where screenshots go
import { check, run, screenshot, setting, watchForErrors } from './browser.mjs';

const pages = JSON.parse(setting('TINKO_CLOSED_PAGES'));

await run(async (browser) => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true });
  const errors = watchForErrors(page);
  for (const expected of pages) {
    const response = await page.goto(expected.url);
    check(response.status() === expected.status, `${expected.heading}: the page answered ${response.status()}`);
    const heading = await page.getByRole('heading', { level: 1 }).textContent();
    check(heading === expected.heading, `the customer reads "${heading}", not "${expected.heading}"`);
    const payButtons = await page.getByRole('button', { name: /pay/i }).count();
    check(payButtons === 0, `"${expected.heading}" still offers ${payButtons} pay button(s)`);
    await screenshot(page, expected.screenshot);
  }
  check(errors.length === 0, errors.join('; '));
});
