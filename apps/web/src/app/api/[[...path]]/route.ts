// Run-time proxy: /api/** is forwarded to `${API_BASE_URL}/api/**` (see lib/proxy/forward.ts).
export { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } from '@/lib/proxy/route-handlers';
