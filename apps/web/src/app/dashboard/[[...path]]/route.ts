// Run-time proxy: /dashboard/** is forwarded to `${API_BASE_URL}/dashboard/**` (see lib/proxy/forward.ts).
export { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } from '@/lib/proxy/route-handlers';
