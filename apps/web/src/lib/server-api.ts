import 'server-only';
import { cache } from 'react';
import type { PricingModelView, StatusView } from '@your-api/contracts';
import { createApiClient } from './api-client';
import { apiBaseUrl } from './config';

/**
 * Server components talk to the API directly (API_BASE_URL), not through the
 * web origin. Public endpoints only; no user context is forwarded.
 */
const TIMEOUT_MS = 4000;

function serverClient() {
  return createApiClient({ baseUrl: apiBaseUrl(), userId: () => null });
}

/** GET /api/status, deduplicated per request; null when the API is down. */
export const getStatus = cache(async (): Promise<StatusView | null> => {
  const res = await serverClient().get<StatusView>('/api/status', {
    signal: AbortSignal.timeout(TIMEOUT_MS),
  }).catch(() => null);
  return res?.success && res.data ? res.data : null;
});

/** GET /api/home_page_content: Markdown/HTML, an https URL, or ''. */
export const getHomePageContent = cache(async (): Promise<string | null> => {
  const res = await serverClient().get<string>('/api/home_page_content', {
    signal: AbortSignal.timeout(TIMEOUT_MS),
  }).catch(() => null);
  if (!res?.success) return null;
  return typeof res.data === 'string' ? res.data : '';
});

/** GET /api/pricing models; [] when the API is down or asks for a login (HeaderNavModules). */
export const getPricingModels = cache(async (): Promise<PricingModelView[]> => {
  const res = await serverClient().get<PricingModelView[]>('/api/pricing', {
    signal: AbortSignal.timeout(TIMEOUT_MS),
  }).catch(() => null);
  return res?.success && Array.isArray(res.data) ? res.data : [];
});
