// An operator signs in to the console (a wrong token first), sees a plugin, swaps it to another
// file, sees the new generation, opens an org's recovery and reads its steps, and sees the charts.
//   TINKO_CONSOLE_URL   http://127.0.0.1:PORT/console
//   TINKO_OPS_TOKEN     the ops token
//   TINKO_PLUGIN        a loaded plugin's name, TINKO_SWAP_TO the file to upload to swap it to, and
//   TINKO_SWAP_VERSION  the version that file declares; TINKO_SWAP_REFUSED a file that is not a plugin
//   TINKO_ORG           an org's slug, TINKO_REF a transaction of it with a recovery
//   TINKO_WEBHOOK_URL   an endpoint of the org with a delivery of a TINKO_WEBHOOK_EVENT event;
//   TINKO_WEBHOOK_GONE_URL one Tinko disabled, saying TINKO_WEBHOOK_GONE_REASON
//   TINKO_ARTIFACTS     where screenshots go
import { check, run, screenshot, setting, watchForErrors } from './browser.mjs';

const consoleUrl = setting('TINKO_CONSOLE_URL');
const plugin = setting('TINKO_PLUGIN');
const ref = setting('TINKO_REF');

await run(async (browser) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchForErrors(page);
  await page.goto(consoleUrl);

  // A wrong token is refused and says so; the right one opens the console.
  await page.getByLabel('Ops token').fill('tko_not-the-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'refused' }).waitFor({ timeout: 10000 });
  await page.getByLabel('Ops token').fill(setting('TINKO_OPS_TOKEN'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Plugins' }).waitFor({ timeout: 10000 });
  const pluginRow = page.getByRole('row').filter({ hasText: plugin }).first();
  await pluginRow.waitFor({ timeout: 10000 });
  await screenshot(page, 'console-plugins');

  // Uploads go as the file's bytes (application/octet-stream), never as a path.
  const uploads = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith(`/v1/plugins/${plugin}/swap`))
      uploads.push({ type: r.headers()['content-type'] });
  });

  // A file that is not a plugin is refused, saying why, and nothing changes.
  await page.getByLabel(`Plugin file for ${plugin}`).setInputFiles(setting('TINKO_SWAP_REFUSED'));
  await page.getByRole('button', { name: `Swap ${plugin}`, exact: true }).click();
  await page.getByRole('alert').filter({ hasText: 'not a loadable shared library' }).waitFor({ timeout: 15000 });
  await screenshot(page, 'console-refused');

  // Swap: the status names the new version, and the table lists the new generation as active.
  const version = setting('TINKO_SWAP_VERSION');
  await page.getByLabel(`Plugin file for ${plugin}`).setInputFiles(setting('TINKO_SWAP_TO'));
  await page.getByRole('button', { name: `Swap ${plugin}`, exact: true }).click();
  await page.getByRole('status').filter({ hasText: version }).waitFor({ timeout: 15000 });
  await page.getByRole('row').filter({ hasText: plugin }).filter({ hasText: version }).filter({ hasText: 'active' })
    .first().waitFor({ timeout: 10000 });
  await screenshot(page, 'console-swapped');
  check(uploads.length === 2 && uploads.every((u) => u.type === 'application/octet-stream'),
    `the swaps were not uploads of the files' bytes: ${JSON.stringify(uploads)}`);

  // The org's recovery and its steps.
  await page.getByLabel('Org', { exact: true }).selectOption(setting('TINKO_ORG'));
  await page.getByRole('button', { name: ref, exact: true }).click();
  await page.getByRole('heading', { name: `Recovery ${ref}` }).waitFor({ timeout: 10000 });
  const steps = page.getByRole('table', { name: 'Steps' });
  const stepRows = await steps.locator('tbody tr').count();
  check(stepRows >= 1, `the recovery of ${ref} shows ${stepRows} steps`);
  await page.getByRole('table', { name: 'Messages' }).waitFor();
  const focusedHeading = await page.evaluate(() => document.activeElement && document.activeElement.textContent);
  check(focusedHeading === `Recovery ${ref}`, `focus is on "${focusedHeading}", not the recovery's heading`);
  await screenshot(page, 'console-recovery');

  // Charts: the funnel and the daily rate are drawn, with their numbers readable by assistive tech.
  await page.getByRole('heading', { name: 'Recovery funnel' }).scrollIntoViewIfNeeded();
  const charts = page.getByRole('img');
  check(await charts.count() >= 2, `${await charts.count()} charts are drawn, not 2`);
  const funnelLabel = await charts.first().getAttribute('aria-label');
  check(/\d/.test(funnelLabel || ''), `the funnel's label carries no numbers: ${funnelLabel}`);
  // Beside it, how the recovered ones came back (GET /v1/analytics/summary's recovered_by).
  const headline = await page.locator('#headline').innerText();
  for (const term of ['Recovered by a charge retry', 'Recovered through a link', 'Recovered with a new card', 'Recovered outside Tinko'])
    check(headline.includes(term), `the funnel's facts do not say "${term}": ${headline}`);
  await screenshot(page, 'console-charts');

  // The org's webhook endpoints (the disabled one says why) and their recent deliveries.
  const endpoints = page.getByRole('table', { name: 'Webhook endpoints' });
  await endpoints.getByRole('row').filter({ hasText: setting('TINKO_WEBHOOK_URL') }).filter({ hasText: 'enabled' })
    .waitFor({ timeout: 10000 });
  await endpoints.getByRole('row').filter({ hasText: setting('TINKO_WEBHOOK_GONE_URL') }).filter({ hasText: 'disabled' })
    .filter({ hasText: setting('TINKO_WEBHOOK_GONE_REASON') }).waitFor({ timeout: 10000 });
  const deliveries = page.getByRole('table', { name: 'Recent webhook deliveries' });
  const delivery = deliveries.getByRole('row').filter({ hasText: setting('TINKO_WEBHOOK_EVENT') })
    .filter({ hasText: setting('TINKO_WEBHOOK_URL') });
  await delivery.waitFor({ timeout: 10000 });
  const deliveryText = await delivery.innerText();
  check(/evt_\d+/.test(deliveryText), `the delivery row shows no event id: ${deliveryText}`);
  await deliveries.scrollIntoViewIfNeeded();
  await screenshot(page, 'console-webhooks');
  check(errors.length === 0, errors.join('; '));
});
