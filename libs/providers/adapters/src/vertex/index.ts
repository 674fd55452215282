export { vertexUpstream, readVertexError } from './upstream';
export { readVertexCredentials, GOOGLE_TOKEN_URI, type VertexCredentials, type VertexServiceAccount } from './credentials';
export { vertexRegion, vertexDefaultBaseUrl, vertexClaudeModelId, isVertexClaudeModel, VERTEX_ANTHROPIC_VERSION } from './upstream-request';
