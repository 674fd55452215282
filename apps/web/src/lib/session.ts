/**
 * The logged-in user as the browser remembers it.
 *
 * New API's session cookie is HttpOnly, and every authenticated `/api/*`
 * request must also carry `New-Api-User: <id>` equal to the session user.
 * So the id (and a small profile for the UI) lives in localStorage.
 */
export interface StoredUser {
  id: number;
  username: string;
  display_name?: string;
  role?: number;
  status?: number;
  group?: string;
}

const USER_ID_KEY = 'your-api.uid';
const USER_KEY = 'your-api.user';

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null; // e.g. disabled storage
  }
}

export function getUserId(): number | null {
  const raw = storage()?.getItem(USER_ID_KEY);
  if (!raw) return null;
  const id = Number(raw);
  return Number.isInteger(id) && id > 0 ? id : null;
}

export function getStoredUser(): StoredUser | null {
  const raw = storage()?.getItem(USER_KEY);
  if (!raw) return null;
  try {
    const user = JSON.parse(raw) as StoredUser;
    return typeof user?.id === 'number' ? user : null;
  } catch {
    return null;
  }
}

export function saveSession(user: StoredUser): void {
  const s = storage();
  if (!s) return;
  s.setItem(USER_ID_KEY, String(user.id));
  s.setItem(USER_KEY, JSON.stringify(user));
}

export function clearSession(): void {
  const s = storage();
  if (!s) return;
  s.removeItem(USER_ID_KEY);
  s.removeItem(USER_KEY);
}
