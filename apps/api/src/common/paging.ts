import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page } from '@your-api/contracts';

export interface PageRequest {
  page: number;
  pageSize: number;
  offset: number;
}

/** Reads New API's paging query: `p` (1-based; 0 is treated as 1), `page_size` or its aliases `ps`/`size`. */
export function readPage(query: Record<string, unknown>): PageRequest {
  const page = Math.max(1, Math.trunc(Number(query.p ?? 1)) || 1);
  const rawSize = query.page_size ?? query.ps ?? query.size;
  let pageSize = Math.trunc(Number(rawSize ?? DEFAULT_PAGE_SIZE)) || DEFAULT_PAGE_SIZE;
  pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, pageSize));
  return { page, pageSize, offset: (page - 1) * pageSize };
}

export function toPage<T>(request: PageRequest, items: T[], total: number): Page<T> {
  return { page: request.page, page_size: request.pageSize, total, items };
}
