'use client';

import { useState } from 'react';
import { useI18n } from '@/lib/i18n/context';

/** A list's search box: typing edits a draft; submitting hands the trimmed text to `onSearch`. */
export function SearchToolbar({ id, label, testId, mono = false, onSearch }: { id: string; label: string; testId: string; mono?: boolean; onSearch: (keyword: string) => void }) {
  const { m } = useI18n();
  const [draft, setDraft] = useState('');
  return (
    <form
      className="toolbar"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(draft.trim());
      }}
    >
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input id={id} className={mono ? 'input mono' : 'input'} value={draft} onChange={(e) => setDraft(e.target.value)} />
      </div>
      <button type="submit" className="btn" data-testid={testId}>
        {m.ui.search}
      </button>
    </form>
  );
}
