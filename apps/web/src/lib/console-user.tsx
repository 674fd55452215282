'use client';

import { createContext, useContext } from 'react';
import type { UserView } from '@your-api/contracts';

export interface ConsoleUser {
  user: UserView;
  /** Re-reads /api/user/self (after a request that changed quota, a profile edit…). */
  reload: () => Promise<void>;
}

export const ConsoleUserContext = createContext<ConsoleUser | null>(null);

/** The signed-in user of the console; only inside ConsoleShell, which renders pages once it is known. */
export function useConsoleUser(): ConsoleUser {
  const ctx = useContext(ConsoleUserContext);
  if (!ctx) throw new Error('useConsoleUser must be used inside the console');
  return ctx;
}
