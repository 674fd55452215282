'use client';

import { AlertDialog } from 'radix-ui';
import type { ReactNode } from 'react';
import { useI18n } from '@/lib/i18n/context';

/** A button that asks before doing something destructive (Radix AlertDialog). */
export function ConfirmButton({
  label,
  message,
  confirmLabel,
  onConfirm,
  className = 'btn btn-sm btn-danger',
  title,
  testId,
}: {
  label: ReactNode;
  message: string;
  confirmLabel?: string;
  onConfirm: () => void | Promise<void>;
  className?: string;
  /** Names the button when its label is only an icon. */
  title?: string;
  testId?: string;
}) {
  const { m } = useI18n();
  return (
    <AlertDialog.Root>
      <AlertDialog.Trigger className={className} data-testid={testId} title={title} aria-label={title}>
        {label}
      </AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog-overlay" />
        <AlertDialog.Content className="dialog-content">
          <AlertDialog.Title className="dialog-title">{m.ui.confirmTitle}</AlertDialog.Title>
          <AlertDialog.Description className="dialog-body">{message}</AlertDialog.Description>
          <div className="dialog-footer">
            <AlertDialog.Cancel className="btn">{m.ui.cancel}</AlertDialog.Cancel>
            <AlertDialog.Action className="btn btn-danger-solid" onClick={() => void onConfirm()}>
              {confirmLabel ?? m.ui.delete}
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
