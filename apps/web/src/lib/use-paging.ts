'use client';

import { useCallback, useState } from 'react';

/**
 * Page and page size of a console list. `pagerProps(total)` is what <Pager> takes: choosing
 * another page size goes back to the first page.
 */
export function usePaging(initialPageSize: number) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(initialPageSize);
  const pagerProps = useCallback(
    (total: number) => ({
      page,
      pageSize,
      total,
      onPage: setPage,
      onPageSize: (size: number) => {
        setPageSize(size);
        setPage(1);
      },
    }),
    [page, pageSize],
  );
  return { page, setPage, pageSize, pagerProps };
}
