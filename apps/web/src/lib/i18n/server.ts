import 'server-only';
import { cookies, headers } from 'next/headers';
import { dictionaries, LOCALE_COOKIE, resolveLocale, type Locale, type Messages } from './dictionary';

/** The request's locale: `lang` cookie, else Accept-Language, else English. */
export async function getLocale(): Promise<Locale> {
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  return resolveLocale(cookieStore.get(LOCALE_COOKIE)?.value, headerList.get('accept-language'));
}

export async function getMessages(): Promise<{ locale: Locale; m: Messages }> {
  const locale = await getLocale();
  return { locale, m: dictionaries[locale] };
}
