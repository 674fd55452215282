// Run-time proxy: /v1/** is forwarded to `${API_BASE_URL}/v1/**` (see lib/proxy/forward.ts).
export { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } from '@/lib/proxy/route-handlers';
