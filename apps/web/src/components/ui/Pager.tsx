'use client';

import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';

export const PAGE_SIZES = [10, 20, 50, 100];

/** Previous/next paging over a `Page<T>` answer (pages are 1-based, as `p` in New API). */
export function Pager({
  page,
  pageSize,
  total,
  onPage,
  onPageSize,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
  onPageSize?: (size: number) => void;
}) {
  const { m } = useI18n();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pager" aria-label="pagination">
      <span className="muted" data-testid="pager-info">
        {format(m.ui.pageOf, { page, pages, total })}
      </span>
      <div className="pager-buttons">
        {onPageSize ? (
          <label className="pager-size">
            <span className="muted">{m.ui.pageSize}</span>
            <select className="input input-sm" value={pageSize} onChange={(e) => onPageSize(Number(e.target.value))}>
              {PAGE_SIZES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <button type="button" className="btn btn-sm" disabled={page <= 1} onClick={() => onPage(page - 1)}>
          {m.ui.prev}
        </button>
        <button type="button" className="btn btn-sm" disabled={page >= pages} onClick={() => onPage(page + 1)}>
          {m.ui.next}
        </button>
      </div>
    </nav>
  );
}
