// Run-time proxy: /v1beta/** is forwarded to `${API_BASE_URL}/v1beta/**` (see lib/proxy/forward.ts).
export { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } from '@/lib/proxy/route-handlers';
