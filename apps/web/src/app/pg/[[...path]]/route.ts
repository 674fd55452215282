// Run-time proxy: /pg/** is forwarded to `${API_BASE_URL}/pg/**` (see lib/proxy/forward.ts).
export { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } from '@/lib/proxy/route-handlers';
