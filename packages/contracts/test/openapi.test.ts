// Goal: the published OpenAPI document covers DESIGN.md's whole HTTP contract and never shows an example
// that the API itself would reject. Method: generate the document, look up each endpoint, and validate
// every `example` in it with a JSON Schema 2020-12 validator against the schema it illustrates.
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, test } from 'vitest';

import { buildOpenApiDocument, DESIGN_ENDPOINTS } from '../src/openapi';

const document = buildOpenApiDocument();

interface Found {
  pointer: string;
  schema: Record<string, unknown>;
}

function findExamples(node: unknown, pointer: string, found: Found[]): Found[] {
  if (node === null || typeof node !== 'object') return found;
  if (Array.isArray(node)) {
    node.forEach((item, index) => findExamples(item, `${pointer}/${index}`, found));
    return found;
  }
  const record = node as Record<string, unknown>;
  if ('example' in record && ('type' in record || 'properties' in record || 'anyOf' in record || '$ref' in record)) {
    found.push({ pointer, schema: record });
  }
  for (const [key, value] of Object.entries(record)) findExamples(value, `${pointer}/${key}`, found);
  return found;
}

describe('OpenAPI document', () => {
  test('when generated, then it is OpenAPI 3.1 with both auth schemes', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.components?.securitySchemes ?? {})).toEqual(['ApiKey', 'Bearer']);
  });

  test.each(DESIGN_ENDPOINTS)('when DESIGN.md lists $method $path, then the document has it', ({ method, path }) => {
    expect(document.paths?.[path]?.[method]).toBeDefined();
  });

  const examples = findExamples(document, '#', []);

  test('when examples are collected, then there are examples for the main shapes', () => {
    const schemas = document.components?.schemas ?? {};
    for (const name of ['Transaction', 'TransactionDetail', 'Balance', 'Error', 'RateLimitError', 'BankWebhook', 'CreateTransactionRequest', 'LoginRequest']) {
      expect(schemas[name], name).toHaveProperty('example');
    }
    expect(examples.length).toBeGreaterThan(20);
  });

  test('when any example is validated against its own schema, then it is valid', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ ...document, $id: 'openapi' }, 'openapi');
    const failures: string[] = [];
    for (const { pointer, schema } of examples) {
      const { example, ...rest } = schema;
      const validate = ajv.compile(rewriteRefs(rest));
      if (!validate(example)) failures.push(`${pointer}: ${ajv.errorsText(validate.errors)}`);
    }
    expect(failures).toEqual([]);
    // Control: the same method catches a wrong example, so the check above can fail.
    const transaction = ajv.compile(rewriteRefs({ $ref: '#/components/schemas/Transaction' }));
    const example = (document.components?.schemas?.Transaction as { example: Record<string, unknown> }).example;
    expect(transaction(example)).toBe(true);
    expect(transaction({ ...example, amount: 100.5 })).toBe(false);
  });
});

function rewriteRefs(node: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(node).replaceAll('"$ref":"#/', '"$ref":"openapi#/')) as Record<string, unknown>;
}
