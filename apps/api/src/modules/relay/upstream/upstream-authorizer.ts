import { Injectable } from '@nestjs/common';
import { readBedrockCredentials, readVertexCredentials, type UpstreamProtocol } from '@your-api/provider-adapters';
import { UpstreamError } from '@your-api/providers-core';
import type { Dispatcher, FormData } from 'undici';
import { signBedrockRequest } from './bedrock-auth';
import { VertexTokenCache } from './vertex-auth';

/** The parts of a planned upstream request that authorization reads and completes. */
export interface AuthorizableRequest {
  protocol: UpstreamProtocol;
  /** The channel key of this attempt. */
  apiKey: string;
  url: string;
  headers: Record<string, string>;
  body: string | Buffer | FormData;
}

/**
 * Adds the credentials that take I/O or a clock to compute, after the request is planned and
 * before it is sent: a Vertex AI access token (exchanged for the service account's signed JWT,
 * cached per key) and Bedrock's SigV4 signature over the final URL, headers and body. Other
 * protocols' credentials are static and already in the planned headers.
 */
@Injectable()
export class UpstreamAuthorizer {
  private readonly vertexTokens = new VertexTokenCache();

  /** Completes `target.headers` in place. `dispatcher` is the channel's (proxy) connection pool. */
  async authorize(target: AuthorizableRequest, dispatcher: Dispatcher): Promise<void> {
    if (target.protocol === 'vertex') {
      const credentials = readVertexCredentials(target.apiKey);
      if (credentials.kind !== 'service-account') return; // express-mode keys travel in x-goog-api-key
      const token = await this.vertexTokens.accessToken(credentials.account, dispatcher);
      target.headers.authorization = `Bearer ${token}`;
      return;
    }
    if (target.protocol === 'bedrock') {
      const credentials = readBedrockCredentials(target.apiKey);
      if (credentials.kind !== 'access-key') return; // Bedrock API keys are already a bearer token
      if (typeof target.body !== 'string') {
        throw new UpstreamError(500, 'channel/endpoint-unsupported', 'Bedrock requests must have a JSON body to be signed', false);
      }
      Object.assign(target.headers, await signBedrockRequest({ url: target.url, headers: target.headers, body: target.body }, credentials));
    }
  }
}
