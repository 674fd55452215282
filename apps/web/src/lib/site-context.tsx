'use client';

import { createContext, useContext, type ReactNode } from 'react';
import type { StatusView } from '@your-api/contracts';

/** The public /api/status payload (null when the API was unreachable). */
const SiteContext = createContext<StatusView | null>(null);

export function SiteProvider({ status, children }: { status: StatusView | null; children: ReactNode }) {
  return <SiteContext.Provider value={status}>{children}</SiteContext.Provider>;
}

export function useSiteStatus(): StatusView | null {
  return useContext(SiteContext);
}
