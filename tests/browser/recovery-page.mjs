// A customer on a phone opens their recovery link, sees the merchant and the amount, reaches the
// pay button with the keyboard, presses it and lands on the PSP's (fake) checkout, pays there and
// comes back to the thank-you page. Also: an unknown link gets a page that says so.
//   TINKO_LINK             the recovery link (http://127.0.0.1:PORT/r/TOKEN)
//   TINKO_MERCHANT         the org's name, TINKO_AMOUNT the amount as the page shows it ("$19.99")
//   TINKO_CHECKOUT_PREFIX  where the PSP's checkout pages are (http://127.0.0.1:PORT/checkout/)
//   TINKO_ARTIFACTS        where screenshots go
import { check, run, screenshot, setting, textContrast, watchForErrors } from './browser.mjs';

const link = setting('TINKO_LINK');
const merchant = setting('TINKO_MERCHANT');
const amount = setting('TINKO_AMOUNT');
const checkoutPrefix = setting('TINKO_CHECKOUT_PREFIX');

await run(async (browser) => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  });
  const page = await context.newPage();
  const errors = watchForErrors(page);

  const response = await page.goto(link);
  check(response.status() === 200, `the link answered ${response.status()}`);
  const heading = page.getByRole('heading', { level: 1 });
  check((await heading.textContent()).includes(merchant), `the heading does not name ${merchant}: ${await heading.textContent()}`);
  const shown = (await page.locator('#amount').textContent()).trim();
  check(shown === amount, `the page shows the amount ${shown}, not ${amount}`);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  check(scrollWidth <= 390, `the page is ${scrollWidth}px wide on a 390px phone: it scrolls sideways`);

  const pay = page.getByRole('button', { name: `Pay ${amount}` });
  check(await pay.isVisible(), `no visible button named "Pay ${amount}"`);
  const box = await pay.boundingBox();
  check(box.height >= 44 && box.width >= 44, `the pay button is ${box.width}x${box.height}px, under 44px`);
  const contrast = await textContrast(pay);
  check(contrast >= 4.5, `the pay button's text has contrast ${contrast.toFixed(2)}:1, under 4.5:1`);
  await screenshot(page, 'recovery-page-phone');

  // Keyboard only: Tab reaches the button, it shows focus, Enter pays.
  let focused = false;
  for (let i = 0; i < 10 && !focused; ++i) {
    await page.keyboard.press('Tab');
    focused = await pay.evaluate((el) => el === document.activeElement);
  }
  check(focused, 'Tab never reached the pay button');
  const outline = await pay.evaluate((el) => getComputedStyle(el).outlineStyle);
  check(outline !== 'none', 'the focused pay button shows no focus outline');
  await screenshot(page, 'recovery-page-focus');
  await Promise.all([page.waitForURL((url) => url.href.startsWith(checkoutPrefix), { timeout: 30000 }),
                     page.keyboard.press('Enter')]);
  check(await page.locator('#amount').isVisible(), 'the checkout page shows no amount');
  await screenshot(page, 'psp-checkout');

  // Paying at the checkout brings the customer back to the host's thank-you page.
  await Promise.all([page.waitForURL((url) => url.href.startsWith(link + '/done'), { timeout: 30000 }),
                     page.getByRole('button', { name: 'Pay' }).click()]);
  const back = await page.getByRole('heading', { level: 1 }).textContent();
  check(/Thank you|Payment received/.test(back), `after paying the customer reads "${back}"`);
  await screenshot(page, 'recovery-page-returned');

  const unknown = await page.goto(link.replace(/\/r\/.*/, '/r/not-a-real-token-0123456789'));
  check(unknown.status() === 404, `an unknown link answered ${unknown.status()}`);
  check((await page.getByRole('heading', { level: 1 }).textContent()) === 'This link is not valid',
        'an unknown link does not say it is not valid');
  await screenshot(page, 'recovery-page-unknown-link');
  check(errors.length === 0, errors.join('; '));
});
