import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunningApi, startApi } from './harness';

/**
 * The OpenAPI document served at /api/docs-json is committed (apps/api/openapi.json) so route
 * changes show up in review; this fails when they drift. Refresh with UPDATE_OPENAPI=1.
 */
describe('OpenAPI document', () => {
  const committedPath = join(__dirname, '..', 'openapi.json');
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('serves the UI and a document equal to the committed one', async () => {
    expect((await fetch(`${api.baseUrl}/api/docs`)).status).toBe(200);
    const served = (await (await fetch(`${api.baseUrl}/api/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(served.paths)).toEqual(expect.arrayContaining(['/api/user/login', '/api/token', '/api/channel', '/v1/chat/completions']));
    const text = `${JSON.stringify(served, null, 2)}\n`;
    if (process.env.UPDATE_OPENAPI === '1') writeFileSync(committedPath, text);
    expect(existsSync(committedPath)).toBe(true);
    expect(text).toBe(readFileSync(committedPath, 'utf8'));
  });
});
