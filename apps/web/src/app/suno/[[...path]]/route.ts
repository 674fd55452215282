// Run-time proxy: /suno/** is forwarded to `${API_BASE_URL}/suno/**` (see lib/proxy/forward.ts).
export { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } from '@/lib/proxy/route-handlers';
