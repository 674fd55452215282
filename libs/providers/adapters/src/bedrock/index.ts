export { bedrockUpstream, readBedrockError } from './upstream';
export { readBedrockCredentials, type BedrockCredentials } from './credentials';
export { bedrockModelId } from './model-ids';
export { bedrockDefaultBaseUrl, BEDROCK_ANTHROPIC_VERSION, AWS_EVENT_STREAM_CONTENT_TYPE } from './upstream-request';
