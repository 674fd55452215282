'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type ApiResult, type QueryValue } from './api-client';

export interface ApiQueryState<T, Extra = unknown> {
  data: T | undefined;
  /** The whole last answer (for fields beside `data`). */
  result: ApiResult<T, Extra> | undefined;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/**
 * GET a management route and keep its answer; refetches when `path` or `query` change and on
 * `reload()`. A `null` path fetches nothing. Answers to superseded requests are dropped.
 */
export function useApi<T, Extra = unknown>(path: string | null, query?: Record<string, QueryValue>): ApiQueryState<T, Extra> {
  // The last answer and the request it answers: loading means the current request has no answer yet.
  const [answer, setAnswer] = useState<{ request: string; result: ApiResult<T, Extra> }>();
  const [version, setVersion] = useState(0);
  const latest = useRef(0);
  const queryKey = JSON.stringify(query ?? {});
  const request = `${path}\n${queryKey}\n${version}`;

  useEffect(() => {
    if (path === null) return;
    const id = ++latest.current;
    const controller = new AbortController();
    api
      .get<T, Extra>(path, { query: JSON.parse(queryKey) as Record<string, QueryValue>, signal: controller.signal })
      .then((res) => {
        if (id === latest.current) setAnswer({ request: `${path}\n${queryKey}\n${version}`, result: res });
      })
      .catch(() => undefined); // aborted: a newer request owns the state
    return () => controller.abort();
  }, [path, queryKey, version]);

  const result = answer?.result;
  const loading = path !== null && answer?.request !== request;

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return {
    data: result?.success ? result.data : undefined,
    result,
    error: result && !result.success ? result.message || `HTTP ${result.status}` : null,
    loading,
    reload,
  };
}
