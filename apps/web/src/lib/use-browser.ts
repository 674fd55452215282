'use client';

import { useSyncExternalStore } from 'react';
import { getUserId } from './session';

/** Browser-only facts read after hydration: the server render (and the first client render) sees the fallback. */
const noSubscription = () => () => undefined;

function subscribeStorage(onChange: () => void): () => void {
  window.addEventListener('storage', onChange);
  return () => window.removeEventListener('storage', onChange);
}

/** This page's origin (`https://gw.example`), '' during the server render. */
export function useOrigin(): string {
  return useSyncExternalStore(
    noSubscription,
    () => window.location.origin,
    () => '',
  );
}

/** Whether this browser remembers a signed-in user (localStorage), false during the server render. */
export function useLoggedIn(): boolean {
  return useSyncExternalStore(
    subscribeStorage,
    () => getUserId() !== null,
    () => false,
  );
}

/** One query parameter of this page's URL (read once; null when absent and during the server render). */
export function useQueryParam(name: string): string | null {
  return useSyncExternalStore(
    noSubscription,
    () => new URLSearchParams(window.location.search).get(name),
    () => null,
  );
}
