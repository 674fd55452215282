import type { OpenAiChatRequest, OpenAiFunctionTool, OpenAiToolChoice, UpstreamContext, UpstreamTarget } from '@your-api/providers-core';
import { cleanSchemaForGemini, isEmptyObjectSchema } from './json-schema';
import { toGeminiContents } from './upstream-contents';
import type {
  GeminiFunctionDeclaration,
  GeminiGenerateContentRequest,
  GeminiGenerationConfig,
  GeminiSafetySetting,
  GeminiThinkingConfig,
  GeminiTool,
  GeminiToolConfig,
} from './wire-types';

export const GEMINI_DEFAULT_API_VERSION = 'v1beta';
const DEFAULT_MAX_IMAGES = 16;
const DEFAULT_SAFETY_THRESHOLD = 'BLOCK_NONE';

export const GEMINI_HARM_CATEGORIES: readonly string[] = Object.freeze([
  'HARM_CATEGORY_HARASSMENT',
  'HARM_CATEGORY_HATE_SPEECH',
  'HARM_CATEGORY_SEXUALLY_EXPLICIT',
  'HARM_CATEGORY_DANGEROUS_CONTENT',
  'HARM_CATEGORY_CIVIC_INTEGRITY',
]);

/** Thinking budgets for OpenAI's reasoning_effort levels. */
const THINKING_BUDGETS: Readonly<Record<string, number>> = Object.freeze({ low: 1024, medium: 8192, high: 24576 });

/** Function names that stand for Gemini's built-in tools rather than a declared function. */
const BUILT_IN_TOOLS: Readonly<Record<string, GeminiTool>> = Object.freeze({
  googleSearch: { googleSearch: {} },
  codeExecution: { codeExecution: {} },
});

/** The API version: the channel's `other` when it names one (v1, v1beta, v1alpha…), else the operator's setting. */
export function geminiApiVersion(ctx: UpstreamContext): string {
  const other = ctx.other.trim();
  if (/^v\d+((alpha|beta)\d*)?$/.test(other)) return other;
  return ctx.settings.geminiVersion || GEMINI_DEFAULT_API_VERSION;
}

export function geminiChatUrl(ctx: UpstreamContext): string {
  const action = ctx.stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
  return `${ctx.baseUrl}/${geminiApiVersion(ctx)}/models/${ctx.upstreamModel}:${action}`;
}

function functionDeclaration(tool: OpenAiFunctionTool): GeminiFunctionDeclaration {
  const declaration: GeminiFunctionDeclaration = { name: tool.function.name };
  if (tool.function.description) declaration.description = tool.function.description;
  const parameters = tool.function.parameters ? cleanSchemaForGemini(tool.function.parameters) : undefined;
  // A function without arguments must omit `parameters`: Gemini rejects an OBJECT without properties.
  if (parameters && !isEmptyObjectSchema(parameters)) declaration.parameters = parameters;
  return declaration;
}

function geminiTools(tools: OpenAiFunctionTool[] | undefined): GeminiTool[] {
  const declarations: GeminiFunctionDeclaration[] = [];
  const builtIns: GeminiTool[] = [];
  for (const tool of tools ?? []) {
    const builtIn = BUILT_IN_TOOLS[tool.function.name];
    if (builtIn) builtIns.push(builtIn);
    else declarations.push(functionDeclaration(tool));
  }
  return declarations.length > 0 ? [{ functionDeclarations: declarations }, ...builtIns] : builtIns;
}

export function geminiToolConfig(choice: OpenAiToolChoice | undefined): GeminiToolConfig | undefined {
  if (choice === undefined) return undefined;
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.function.name] } };
}

function thinkingConfig(effort: string | undefined): GeminiThinkingConfig | undefined {
  const budget = effort ? THINKING_BUDGETS[effort] : undefined;
  return budget === undefined ? undefined : { thinkingBudget: budget, includeThoughts: true };
}

function stopSequences(stop: OpenAiChatRequest['stop']): string[] | undefined {
  if (typeof stop === 'string') return [stop];
  return Array.isArray(stop) && stop.length > 0 ? stop : undefined;
}

function applyResponseFormat(config: GeminiGenerationConfig, format: OpenAiChatRequest['response_format']): void {
  if (format?.type !== 'json_object' && format?.type !== 'json_schema') return;
  config.responseMimeType = 'application/json';
  const schema = format.type === 'json_schema' ? format.json_schema?.schema : undefined;
  if (schema) config.responseSchema = cleanSchemaForGemini(schema);
}

/** Drops keys left undefined so the JSON body carries only what was asked for. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function geminiGenerationConfig(request: OpenAiChatRequest): GeminiGenerationConfig | undefined {
  const config = withoutUndefined<GeminiGenerationConfig>({
    maxOutputTokens: request.max_completion_tokens ?? request.max_tokens,
    temperature: request.temperature,
    topP: request.top_p,
    topK: request.top_k,
    stopSequences: stopSequences(request.stop),
    candidateCount: request.n,
    seed: request.seed,
    presencePenalty: request.presence_penalty,
    frequencyPenalty: request.frequency_penalty,
    thinkingConfig: thinkingConfig(request.reasoning_effort),
  });
  applyResponseFormat(config, request.response_format);
  return Object.keys(config).length > 0 ? config : undefined;
}

function safetySettings(threshold: string | undefined): GeminiSafetySetting[] {
  return GEMINI_HARM_CATEGORIES.map((category) => ({ category, threshold: threshold || DEFAULT_SAFETY_THRESHOLD }));
}

/** An OpenAI chat request as a Gemini generateContent body (protocols.md §3.4). */
export function buildGeminiRequestBody(request: OpenAiChatRequest, settings: UpstreamContext['settings']): GeminiGenerateContentRequest {
  const tools = geminiTools(request.tools);
  const hasDeclarations = tools.some((tool) => 'functionDeclarations' in tool);
  return withoutUndefined<GeminiGenerateContentRequest>({
    ...toGeminiContents(request.messages, settings.geminiVisionMaxImageNum ?? DEFAULT_MAX_IMAGES),
    generationConfig: geminiGenerationConfig(request),
    safetySettings: safetySettings(settings.geminiSafetySetting),
    tools: tools.length > 0 ? tools : undefined,
    // A function-calling mode means nothing without declared functions.
    toolConfig: hasDeclarations ? geminiToolConfig(request.tool_choice) : undefined,
  });
}

export function buildGeminiChatRequest(request: OpenAiChatRequest, ctx: UpstreamContext): UpstreamTarget {
  return {
    url: geminiChatUrl(ctx),
    headers: { 'content-type': 'application/json', 'x-goog-api-key': ctx.apiKey },
    body: JSON.stringify(buildGeminiRequestBody(request, ctx.settings)),
  };
}
