import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

/** Bedrock runtime's SigV4 service name. */
const BEDROCK_SIGNING_SERVICE = 'bedrock';

export interface AwsAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

/**
 * Signs one Bedrock request with AWS Signature Version 4 and returns the headers to add:
 * `authorization`, `x-amz-date` and `x-amz-content-sha256`. Every header of the request is signed,
 * with the Host undici will send (the URL's host, with its port when it is not the default).
 */
export async function signBedrockRequest(
  target: { url: string; headers: Record<string, string>; body: string },
  key: AwsAccessKey,
  signingDate: Date = new Date(),
): Promise<Record<string, string>> {
  const url = new URL(target.url);
  const signer = new SignatureV4({
    service: BEDROCK_SIGNING_SERVICE,
    region: key.region,
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    sha256: Sha256,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...target.headers, host: url.host },
      body: target.body,
    },
    { signingDate },
  );
  const added: Record<string, string> = {};
  for (const name of ['authorization', 'x-amz-date', 'x-amz-content-sha256']) {
    const value = signed.headers[name];
    if (typeof value === 'string') added[name] = value;
  }
  return added;
}
