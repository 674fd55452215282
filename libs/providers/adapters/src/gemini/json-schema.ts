import { isRecord } from './json-values';

/**
 * JSON Schema rewrites between OpenAI (full JSON Schema) and Gemini (an OpenAPI subset). Both walk
 * a schema node by node; keys whose values are maps of names to schemas, or literal JSON values,
 * are handled apart so a property named e.g. `strict` is never mistaken for a keyword.
 */

type SchemaNode = Record<string, unknown>;

/** Keys whose value maps names (property names, definition names) to sub-schemas. */
const NAME_MAP_KEYS = new Set(['properties', 'patternProperties', '$defs', 'definitions']);
/** Keys whose value is literal data, not a schema. */
const LITERAL_KEYS = new Set(['enum', 'const', 'default', 'example', 'examples', 'required']);
/** Keywords Gemini rejects in function parameters and response schemas. */
const KEYWORDS_GEMINI_REJECTS = new Set(['additionalProperties', '$schema', 'strict']);

/** Rebuilds one schema node: `keepKey` filters keywords, `rewriteNode` adjusts the rebuilt node. */
function walkSchema(value: unknown, keepKey: (key: string, value: unknown) => boolean, rewriteNode: (node: SchemaNode) => SchemaNode): unknown {
  if (Array.isArray(value)) return value.map((item) => walkSchema(item, keepKey, rewriteNode));
  if (!isRecord(value)) return value;
  const node: SchemaNode = {};
  for (const [key, child] of Object.entries(value)) {
    if (!keepKey(key, child)) continue;
    if (LITERAL_KEYS.has(key)) node[key] = child;
    else if (NAME_MAP_KEYS.has(key) && isRecord(child)) node[key] = walkNameMap(child, keepKey, rewriteNode);
    else node[key] = walkSchema(child, keepKey, rewriteNode);
  }
  return rewriteNode(node);
}

function walkNameMap(map: SchemaNode, keepKey: (key: string, value: unknown) => boolean, rewriteNode: (node: SchemaNode) => SchemaNode): SchemaNode {
  const result: SchemaNode = {};
  for (const [name, schema] of Object.entries(map)) result[name] = walkSchema(schema, keepKey, rewriteNode);
  return result;
}

const isEmptyProperties = (key: string, value: unknown): boolean => key === 'properties' && isRecord(value) && Object.keys(value).length === 0;

/**
 * An OpenAI JSON Schema made acceptable to Gemini (New API `cleanFunctionParameters`): drops
 * `additionalProperties`, `$schema`, `strict` and empty `properties` objects at every depth.
 */
export function cleanSchemaForGemini(schema: SchemaNode): SchemaNode {
  const keepKey = (key: string, value: unknown): boolean => !KEYWORDS_GEMINI_REJECTS.has(key) && !isEmptyProperties(key, value);
  const cleaned = walkSchema(schema, keepKey, (node) => node);
  return isRecord(cleaned) ? cleaned : {};
}

/** Whether a (cleaned) schema describes an object without any properties: Gemini rejects those as parameters. */
export function isEmptyObjectSchema(schema: SchemaNode): boolean {
  const type = typeof schema.type === 'string' ? schema.type.toLowerCase() : undefined;
  return (type === undefined || type === 'object') && Object.keys(schema).every((key) => key === 'type' || key === 'description' || key === 'required');
}

/** Gemini SDKs write OpenAPI type names in capitals (`OBJECT`, `STRING`); JSON Schema wants them lower-case. */
function lowerCaseType(node: SchemaNode): SchemaNode {
  const type = node.type;
  if (typeof type === 'string') return { ...node, type: type.toLowerCase() };
  if (Array.isArray(type)) return { ...node, type: type.map((t: unknown) => (typeof t === 'string' ? t.toLowerCase() : t)) };
  return node;
}

/** A Gemini (OpenAPI subset) schema as OpenAI JSON Schema. */
export function geminiSchemaToJsonSchema(schema: SchemaNode): SchemaNode {
  const converted = walkSchema(schema, () => true, lowerCaseType);
  return isRecord(converted) ? converted : {};
}
