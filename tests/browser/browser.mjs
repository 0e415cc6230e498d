// What the browser scripts share: Debian's Chromium driven by playwright-core, settings read from
// the environment (the CppUnit suite that starts the host sets them), screenshots saved as test
// artifacts, and a check that fails the script with a message saying what the user would have seen.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export function setting(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

// Runs `scenario(browser)` and exits 0, or prints why it failed and exits 1; the browser is always closed.
export async function run(scenario) {
  const browser = await chromium.launch({
    executablePath: process.env.TINKO_CHROMIUM || '/usr/bin/chromium',
    // Root in a container has no user namespace for Chromium's sandbox.
    args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
    timeout: 60000,
  });
  try {
    await scenario(browser);
    console.log('browser scenario passed');
  } catch (e) {
    console.error(`browser scenario failed: ${e.message}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

// Saves a full-page screenshot into TINKO_ARTIFACTS and says where.
export async function screenshot(page, name) {
  const dir = setting('TINKO_ARTIFACTS');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
}

// Collects what the page logged as an error (a CSP refusal, a script exception). Failed loads are
// left out: the scripts check the statuses they expect (an unknown link is a 404 on purpose, and
// Chromium asks every host for a /favicon.ico).
export function watchForErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console error: ${m.text()}`);
  });
  return errors;
}

// WCAG 2.1 contrast of an element's text colour on its background colour, both as computed.
export async function textContrast(locator) {
  return locator.evaluate((el) => {
    const rgb = (css) => css.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
    const lum = ([r, g, b]) => [r, g, b]
      .map((c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
      .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
    const style = getComputedStyle(el);
    const [a, b] = [lum(rgb(style.color)), lum(rgb(style.backgroundColor))];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  });
}
