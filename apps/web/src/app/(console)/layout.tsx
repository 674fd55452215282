import type { ReactNode } from 'react';
import { ConsoleShell } from './ConsoleShell';

/** Signed-in area. Pages under it are client-rendered against /api/* with the session. */
export default function ConsoleLayout({ children }: { children: ReactNode }) {
  return <ConsoleShell>{children}</ConsoleShell>;
}
