/** What every browser test shares: Debian's Chromium, viewports, screenshots under test-artifacts, the overflow probe. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };
export const STEP_TIMEOUT = 15_000;
const SCREENSHOTS = path.resolve(__dirname, '../../../test-artifacts/screenshots');

/** Debian's Chromium, headless; without the background-networking flags it keeps calling Google's hosts, refused here. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A full-page screenshot from the top (pinned bars would otherwise be drawn where the page was scrolled to). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await page.mouse.move(0, 0); // no hover effects (chart tooltips) left over from the last click
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** 0 when nothing sticks out sideways; otherwise how far, and the first elements that do. */
export function horizontalOverflow(page: Page): Promise<number | string> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const overflow = document.documentElement.scrollWidth - width;
    if (overflow <= 0) return 0;
    const culprits = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(el.getBoundingClientRect().right)}`);
    return `${overflow}px: ${culprits.join(' | ')}`;
  });
}
