'use client';

import { useEffect, useState } from 'react';
import { useI18n } from '@/lib/i18n/context';

/** Copies `text` to the clipboard and says so for a moment. */
export function CopyButton({ text, label, testId, className = 'btn btn-sm' }: { text: string; label?: string; testId?: string; className?: string }) {
  const { m } = useI18n();
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);

  return (
    <button
      type="button"
      className={className}
      data-testid={testId}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setCopied(true));
      }}
    >
      {copied ? m.ui.copied : (label ?? m.ui.copy)}
    </button>
  );
}
