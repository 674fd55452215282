// Run-time proxy: /mj/** is forwarded to `${API_BASE_URL}/mj/**` (see lib/proxy/forward.ts).
export { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } from '@/lib/proxy/route-handlers';
