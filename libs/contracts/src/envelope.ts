/** The management API's envelope, identical to New API's. */
export interface ApiEnvelope<T = unknown> {
  success: boolean;
  message: string;
  data?: T;
}

/** A paged list as `/api/*` list routes return it in `data`. */
export interface Page<T> {
  page: number;
  page_size: number;
  total: number;
  items: T[];
}

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 100;
