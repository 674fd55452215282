'use client';

import { useI18n } from '@/lib/i18n/context';
import { isLocale, LOCALE_NAMES, LOCALES } from '@/lib/i18n/dictionary';
import styles from './LanguageSwitcher.module.css';

export function LanguageSwitcher() {
  const { locale, setLocale, m } = useI18n();
  return (
    <label className={styles.switcher}>
      <span className="visually-hidden">{m.common.language}</span>
      <select
        className={styles.select}
        value={locale}
        aria-label={m.common.language}
        onChange={(e) => {
          if (isLocale(e.target.value)) setLocale(e.target.value);
        }}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
