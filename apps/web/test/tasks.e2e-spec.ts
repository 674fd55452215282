/**
 * The Tasks page in real Chromium, against the built API on a temp SQLite database and fake
 * Midjourney-Proxy and Suno upstreams: root submits an imagine and a Suno song with its own key,
 * the poller finishes them, and the page shows the image preview (served by the API's
 * /mj/image proxy), the audio player and a failed task's reason. Screenshots at desktop and phone
 * width land in test-artifacts/screenshots/.
 *
 * Needs `npm run build` (API and web) first.
 */
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { FakeMidjourney, FakeSuno, startFakeMidjourney, startFakeSuno } from '@your-api/testing';
import { DESKTOP, horizontalOverflow, launchChromium, PHONE, saveScreenshot, STEP_TIMEOUT } from './browser';
import { startApi, type RunningApi } from '../../api/test/harness';
import { ManagementClient } from '../../api/test/management-client';
import { createChannel, createToken, setOption, waitFor } from '../../api/test/relay-fixtures';
import { startWeb, type RunningWeb } from './web-server';

describe('tasks page in Chromium', () => {
  let api: RunningApi;
  let web: RunningWeb;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let mj: FakeMidjourney;
  let suno: FakeSuno;
  const pageErrors: string[] = [];

  const post = async (path: string, key: string, body: unknown) => {
    const response = await fetch(`${api.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
    return (await response.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    mj = await startFakeMidjourney('mj-secret');
    suno = await startFakeSuno('suno-secret');
    api = await startApi({ env: { TASK_POLL_INTERVAL_MS: '200' } });
    const root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    await setOption(root, 'ServerAddress', api.baseUrl);
    await createChannel(root, { type: 2, key: 'mj-secret', base_url: mj.url, models: 'mj_imagine' });
    await createChannel(root, { type: 36, key: 'suno-secret', base_url: suno.url, models: 'suno_music' });
    const { key } = await createToken(root);
    const done = await post('/mj/submit/imagine', key, { prompt: 'a lighthouse at dawn' });
    mj.setTask(String(done.result), { status: 'SUCCESS', progress: '100%', imageUrl: true });
    const failed = await post('/mj/submit/imagine', key, { prompt: 'a forbidden thing' });
    mj.setTask(String(failed.result), { status: 'FAILURE', progress: '', failReason: 'banned prompt' });
    const song = await post('/suno/submit/music', key, { prompt: 'sea shanty', title: 'Harbour' });
    suno.setTask(String(song.data), {
      status: 'SUCCESS',
      data: [{ id: 'clip-1', title: 'Harbour', status: 'complete', audio_url: `${mj.url}/image/clip.png`, metadata: { prompt: 'Heave away, haul away' } }],
    });
    await waitFor(
      () => root.get<{ items: Array<{ status: string }> }>('/api/mj/?p=1&page_size=10'),
      (reply) => (reply.body.data?.items ?? []).filter((t) => t.status === 'SUCCESS' || t.status === 'FAILURE').length === 2,
    );
    await waitFor(
      () => root.get<{ items: Array<{ status: string }> }>('/api/task/?p=1&page_size=10'),
      (reply) => reply.body.data?.items[0]?.status === 'SUCCESS',
    );
    web = await startWeb(api.baseUrl);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', baseURL: web.baseUrl });
    context.setDefaultTimeout(STEP_TIMEOUT);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.stop();
    await mj?.close();
    await suno?.close();
  });

  it('shows Midjourney tasks with an image preview and a fail reason', async () => {
    await page.goto('/login');
    await page.locator('#username').fill('root');
    await page.locator('#password').fill('123456');
    await page.locator('#login-form button[type="submit"]').click();
    await page.waitForURL('**/console');
    await page.getByTestId('nav-tasks').click();
    await page.waitForURL('**/console/tasks');
    const preview = page.getByTestId('mj-preview');
    await preview.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="mj-preview"]');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    expect(await preview.getAttribute('src')).toMatch(/\/mj\/image\/\d+$/);
    await page.locator('[data-testid="mj-task-row"][data-status="FAILURE"]').getByTestId('task-fail-reason').filter({ hasText: 'banned prompt' }).waitFor();
    expect(await page.locator('[data-testid="mj-task-row"]').count()).toBe(2);
    await saveScreenshot(page, 'tasks-midjourney-desktop');
  });

  it('shows Suno tracks with an audio player and lyrics', async () => {
    await page.getByTestId('tasks-tab-suno').click();
    const row = page.locator('[data-testid="suno-task-row"][data-status="SUCCESS"]');
    await row.waitFor();
    expect(await row.getByTestId('suno-audio').count()).toBe(1);
    await row.getByText('Lyrics').click();
    await row.getByText('Heave away, haul away').waitFor();
    await saveScreenshot(page, 'tasks-suno-desktop');
  });

  it('fits a phone screen', async () => {
    const phone = await browser.newContext({ viewport: PHONE, locale: 'en-US', baseURL: web.baseUrl, storageState: await context.storageState(), isMobile: true, hasTouch: true });
    phone.setDefaultTimeout(STEP_TIMEOUT);
    try {
      const mobile = await phone.newPage();
      mobile.on('pageerror', (error) => pageErrors.push(error.message));
      await mobile.goto('/console/tasks');
      await mobile.getByTestId('mj-task-row').first().waitFor();
      expect(await horizontalOverflow(mobile)).toBe(0);
      await saveScreenshot(mobile, 'tasks-phone');
    } finally {
      await phone.close();
    }
  });

  it('raised no uncaught error in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
