import { cleanSchemaForGemini, geminiSchemaToJsonSchema, isEmptyObjectSchema } from './json-schema';

describe('cleanSchemaForGemini', () => {
  it('cleans inside anyOf, items and $defs but leaves literal values and property names alone', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        additionalProperties: { type: 'string' },
        choice: { anyOf: [{ type: 'object', additionalProperties: true, properties: {} }, { type: 'null' }] },
        settings: { type: 'object', default: { strict: true, additionalProperties: 1 }, properties: { on: { type: 'boolean' } } },
      },
      $defs: { strict: { type: 'object', additionalProperties: false, properties: { id: { type: 'string' } } } },
    };
    expect(cleanSchemaForGemini(schema)).toEqual({
      type: 'object',
      properties: {
        additionalProperties: { type: 'string' },
        choice: { anyOf: [{ type: 'object' }, { type: 'null' }] },
        settings: { type: 'object', default: { strict: true, additionalProperties: 1 }, properties: { on: { type: 'boolean' } } },
      },
      $defs: { strict: { type: 'object', properties: { id: { type: 'string' } } } },
    });
  });

  it('does not change its input', () => {
    const schema = { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } };
    cleanSchemaForGemini(schema);
    expect(schema.additionalProperties).toBe(false);
  });
});

describe('isEmptyObjectSchema', () => {
  it.each([
    [{}, true],
    [{ type: 'object' }, true],
    [{ type: 'OBJECT', description: 'none', required: [] }, true],
    [{ type: 'object', properties: { a: { type: 'string' } } }, false],
    [{ type: 'string' }, false],
    [{ anyOf: [{ type: 'string' }] }, false],
  ])('%p → %p', (schema, empty) => {
    expect(isEmptyObjectSchema(schema)).toBe(empty);
  });
});

describe('geminiSchemaToJsonSchema', () => {
  it('lower-cases OpenAPI type names at every depth, but not enum values or property names', () => {
    expect(
      geminiSchemaToJsonSchema({
        type: 'OBJECT',
        properties: { TYPE: { type: 'STRING', enum: ['STRING'] }, list: { type: 'ARRAY', items: { type: 'NUMBER', nullable: true } } },
      }),
    ).toEqual({
      type: 'object',
      properties: { TYPE: { type: 'string', enum: ['STRING'] }, list: { type: 'array', items: { type: 'number', nullable: true } } },
    });
  });
});
