import { ClientRequestError, type OpenAiChatRequest, type OpenAiFunctionTool, type OpenAiToolChoice } from '@your-api/providers-core';
import {
  expectObject,
  expectString,
  field,
  optionalArray,
  optionalNumber,
  optionalObject,
  optionalString,
  optionalStringArray,
  type JsonObject,
} from './client-fields';
import { geminiSchemaToJsonSchema } from './json-schema';

/**
 * Gemini client `tools`, `toolConfig` and `generationConfig` as OpenAI request fields. The
 * built-in tools become functions with the magic names the Gemini upstream turns back into them.
 */

const BUILT_IN_TOOL_NAMES: Readonly<Record<string, string>> = Object.freeze({
  googleSearch: 'googleSearch',
  googleSearchRetrieval: 'googleSearch',
  codeExecution: 'codeExecution',
});

function functionTool(declaration: JsonObject, param: string): OpenAiFunctionTool {
  const fn: OpenAiFunctionTool['function'] = { name: expectString(declaration.name, `${param}.name`) };
  const description = optionalString(declaration.description, `${param}.description`);
  if (description) fn.description = description;
  // `parameters` is Gemini's OpenAPI subset; `parametersJsonSchema` is JSON Schema already.
  const openApi = optionalObject(declaration.parameters, `${param}.parameters`);
  const jsonSchema = optionalObject(field(declaration, 'parametersJsonSchema'), `${param}.parametersJsonSchema`);
  if (jsonSchema) fn.parameters = jsonSchema;
  else if (openApi) fn.parameters = geminiSchemaToJsonSchema(openApi);
  return { type: 'function', function: fn };
}

function toolsOfEntry(entry: JsonObject, param: string): OpenAiFunctionTool[] {
  const declarations = optionalArray(field(entry, 'functionDeclarations'), `${param}.functionDeclarations`) ?? [];
  const tools = declarations.map((declaration, i) => {
    const declarationParam = `${param}.functionDeclarations[${i}]`;
    return functionTool(expectObject(declaration, declarationParam), declarationParam);
  });
  for (const [key, name] of Object.entries(BUILT_IN_TOOL_NAMES)) {
    if (field(entry, key) !== undefined) tools.push({ type: 'function', function: { name } });
  }
  return tools;
}

export function toolsFromGemini(value: unknown): OpenAiFunctionTool[] | undefined {
  const entries = optionalArray(value, 'tools');
  if (!entries) return undefined;
  const tools = entries.flatMap((entry, i) => toolsOfEntry(expectObject(entry, `tools[${i}]`), `tools[${i}]`));
  return tools.length > 0 ? tools : undefined;
}

export function toolChoiceFromGemini(value: unknown): OpenAiToolChoice | undefined {
  const toolConfig = optionalObject(value, 'toolConfig');
  const config = toolConfig ? optionalObject(field(toolConfig, 'functionCallingConfig'), 'toolConfig.functionCallingConfig') : undefined;
  if (!config) return undefined;
  const mode = optionalString(config.mode, 'toolConfig.functionCallingConfig.mode')?.toUpperCase();
  const allowed = optionalStringArray(field(config, 'allowedFunctionNames'), 'toolConfig.functionCallingConfig.allowedFunctionNames');
  switch (mode) {
    case undefined:
    case 'MODE_UNSPECIFIED':
      return undefined;
    case 'AUTO':
    case 'VALIDATED':
      return 'auto';
    case 'NONE':
      return 'none';
    case 'ANY':
      return allowed?.length === 1 ? { type: 'function', function: { name: allowed[0] } } : 'required';
    default:
      throw new ClientRequestError(`unknown function calling mode "${mode}"`, 'toolConfig.functionCallingConfig.mode');
  }
}

/** A thinking budget as the nearest OpenAI reasoning effort; 0 (thinking off) and absent map to none. */
export function reasoningEffortForBudget(budget: number | undefined): string | undefined {
  if (budget === undefined || budget === 0) return undefined;
  if (budget < 0) return 'medium'; // -1: the model decides
  if (budget <= 1024) return 'low';
  if (budget <= 8192) return 'medium';
  return 'high';
}

function reasoningEffort(config: JsonObject): string | undefined {
  const thinking = optionalObject(field(config, 'thinkingConfig'), 'generationConfig.thinkingConfig');
  if (!thinking) return undefined;
  const level = optionalString(field(thinking, 'thinkingLevel'), 'generationConfig.thinkingConfig.thinkingLevel');
  if (level) return level.toLowerCase();
  return reasoningEffortForBudget(optionalNumber(field(thinking, 'thinkingBudget'), 'generationConfig.thinkingConfig.thinkingBudget'));
}

function responseFormat(config: JsonObject): OpenAiChatRequest['response_format'] {
  const mimeType = optionalString(field(config, 'responseMimeType'), 'generationConfig.responseMimeType');
  if (mimeType !== 'application/json') return undefined;
  const openApi = optionalObject(field(config, 'responseSchema'), 'generationConfig.responseSchema');
  const jsonSchema = optionalObject(field(config, 'responseJsonSchema'), 'generationConfig.responseJsonSchema');
  const schema = jsonSchema ?? (openApi ? geminiSchemaToJsonSchema(openApi) : undefined);
  return schema ? { type: 'json_schema', json_schema: { name: 'response', schema } } : { type: 'json_object' };
}

/** `generationConfig` as OpenAI sampling fields; only the fields the client set. */
export function generationFieldsFromGemini(value: unknown): Partial<OpenAiChatRequest> {
  const config = optionalObject(value, 'generationConfig');
  if (!config) return {};
  const number = (name: string): number | undefined => optionalNumber(field(config, name), `generationConfig.${name}`);
  const fields: Partial<OpenAiChatRequest> = {
    max_tokens: number('maxOutputTokens'),
    temperature: number('temperature'),
    top_p: number('topP'),
    top_k: number('topK'),
    n: number('candidateCount'),
    seed: number('seed'),
    presence_penalty: number('presencePenalty'),
    frequency_penalty: number('frequencyPenalty'),
    stop: optionalStringArray(field(config, 'stopSequences'), 'generationConfig.stopSequences'),
    response_format: responseFormat(config),
    reasoning_effort: reasoningEffort(config),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}
