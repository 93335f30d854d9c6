// Goal: the body parser agrees with JSON.parse on every well-formed document, keeps the text of numbers
// that a double would change, and refuses with a named problem what JSON.parse lets through (duplicate
// keys, lone surrogates, hostile nesting) or what is not JSON. Method: tables of documents, then fast-check
// against JSON.parse on generated JSON.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

import { DomainError, JSON_NESTING_DEPTH_MAX, JsonDecimal, parseStrictJson } from '../src';

function refusal(text: string): { code: string; message: string } {
  try {
    parseStrictJson(text);
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error(`parsed: ${text}`);
}

/** Plain data with every JsonDecimal replaced by its text, so toEqual compares what was kept. */
function plain(value: unknown): unknown {
  if (value instanceof JsonDecimal) return { decimal: value.text };
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  return value;
}

describe('parseStrictJson: what it accepts', () => {
  test.each([
    ['{"amount":"10.50","currency":"USD"}', { amount: '10.50', currency: 'USD' }],
    ['[]', []],
    ['{}', {}],
    ['[1,[2,[3]],{"a":[]}]', [1, [2, [3]], { a: [] }]],
    ['"top-level string"', 'top-level string'],
    ['true', true],
    ['false', false],
    ['null', null],
    ['0', 0],
    ['-12', -12],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
    [' \t\r\n{ "a" : 1 , "b" : [ true , null ] } \n', { a: 1, b: [true, null] }],
  ])('when the text is %s, then it parses as JSON.parse would', (text, expected) => {
    expect(parseStrictJson(text)).toEqual(expected);
    expect(parseStrictJson(text)).toEqual(JSON.parse(text));
  });

  test.each([
    ['"\\"\\\\\\/\\b\\f\\n\\r\\t"', '"\\/\b\f\n\r\t'],
    ['"\\u00e9\\u20AC"', 'é€'],
    ['"\\ud83d\\ude00"', '😀'],
    ['"raw é € 😀"', 'raw é € 😀'],
    ['"a\\nb\\u0000c"', 'a\nb\u0000c'],
  ])('when a string has escapes (%s), then they decode', (text, expected) => {
    expect(parseStrictJson(text)).toBe(expected);
  });

  test.each([
    ['10.5', '10.5'],
    ['10.50', '10.50'],
    ['10.000', '10.000'],
    ['10.0000000000000001', '10.0000000000000001'],
    ['1e3', '1e3'],
    ['-0.0', '-0.0'],
    ['1E+2', '1E+2'],
    ['9007199254740992', '9007199254740992'],
    ['123456789012345678901234567890', '123456789012345678901234567890'],
  ])('when the number %s is not a safe integer literal, then its text is kept', (text, kept) => {
    const value = parseStrictJson(text);
    expect(value).toBeInstanceOf(JsonDecimal);
    expect((value as JsonDecimal).text).toBe(kept);
    expect((value as JsonDecimal).toNumber()).toBe(JSON.parse(text));
    expect(JSON.stringify(value)).toBe(JSON.stringify(JSON.parse(text)));
  });

  test('when an amount has decimals, then it comes back with its text inside the object', () => {
    expect(plain(parseStrictJson('{"amount":10.0000000000000001}'))).toEqual({
      amount: { decimal: '10.0000000000000001' },
    });
  });

  test('when a key is "__proto__", then it is an own property and the prototype is untouched', () => {
    const value = parseStrictJson('{"__proto__":{"admin":true},"a":1}') as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect((value as { admin?: unknown }).admin).toBeUndefined();
  });

  test(`when nesting is exactly ${JSON_NESTING_DEPTH_MAX} deep, then it parses`, () => {
    const text = `${'['.repeat(JSON_NESTING_DEPTH_MAX)}${']'.repeat(JSON_NESTING_DEPTH_MAX)}`;
    expect(() => parseStrictJson(text)).not.toThrow();
  });

  test('when a body is large (1 MiB of items), then it parses like JSON.parse and quickly', () => {
    const items = Array.from({ length: 20_000 }, (_, index) => ({
      id: index,
      name: `item ${index} \u00e9`,
      price: index + 0.25,
      tags: ['a', 'b'],
    }));
    const text = JSON.stringify({ items });
    expect(text.length).toBeGreaterThan(1_000_000);
    const started = performance.now();
    const parsed = parseStrictJson(text);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(JSON.parse(text));
  });

  test('property: any JSON that JSON.stringify prints parses to the same data (numbers compared as doubles)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify(value);
        expect(JSON.parse(JSON.stringify(parseStrictJson(text)))).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseStrictJson: what it refuses', () => {
  test.each([
    ['{"amount":1,"amount":2}', 'Duplicate key "amount" in the JSON body (offset 12).'],
    ['{"a":{"b":1,"b":1}}', 'Duplicate key "b" in the JSON body (offset 12).'],
    ['"\\ud800"', 'Lone surrogate U+D800 in a string: text must be well-formed Unicode in the JSON body (offset 1).'],
    ['"\\udc00x"', 'Lone surrogate U+DC00 in a string: text must be well-formed Unicode in the JSON body (offset 1).'],
    [
      '"\\ud83d\\u0041"',
      'Lone surrogate U+D83D in a string: text must be well-formed Unicode in the JSON body (offset 1).',
    ],
    ['"\ud800"', 'Lone surrogate U+D800 in a string: text must be well-formed Unicode in the JSON body (offset 1).'],
    ['{"amount": ', 'Unexpected end of the body where a value should start in the JSON body (offset 11).'],
    ['{"a":1,}', 'Expected a key in double quotes, found character "}" in the JSON body (offset 7).'],
    ['[1,]', 'Unexpected character "]" where a value should start in the JSON body (offset 3).'],
    ['{"a":1} x', 'Unexpected character "x" after the JSON value in the JSON body (offset 8).'],
    ['{a:1}', 'Expected a key in double quotes, found character "a" in the JSON body (offset 1).'],
    ["{'a':1}", 'Expected a key in double quotes, found character "\'" in the JSON body (offset 1).'],
    ['"tab\there"', 'Control character U+0009 inside a string (escape it) in the JSON body (offset 4).'],
    ['"\\x"', 'Invalid escape: a backslash followed by character "x" in a string in the JSON body (offset 1).'],
    ['"\\u12G4"', 'Invalid \\u escape: it needs 4 hex digits in the JSON body (offset 1).'],
    ['"open', 'Unterminated string in the JSON body (offset 0).'],
    ['01', 'Invalid number: leading zeros are not allowed in the JSON body (offset 0).'],
    ['-', 'Invalid number: expected a digit after "-", found end of the body in the JSON body (offset 1).'],
    [
      '1.',
      'Invalid number: expected a digit after the decimal point, found end of the body in the JSON body (offset 2).',
    ],
    ['.5', 'Unexpected character "." where a value should start in the JSON body (offset 0).'],
    ['1e', 'Invalid number: expected a digit in the exponent, found end of the body in the JSON body (offset 2).'],
    ['+1', 'Unexpected character "+" where a value should start in the JSON body (offset 0).'],
    ['NaN', 'Unexpected character "N" where a value should start in the JSON body (offset 0).'],
    ['Infinity', 'Unexpected character "I" where a value should start in the JSON body (offset 0).'],
    ['tru', 'Unexpected character "t" where a value should start in the JSON body (offset 0).'],
    ['', 'Unexpected end of the body where a value should start in the JSON body (offset 0).'],
    ['\ufeff{}', 'Unexpected character U+FEFF where a value should start in the JSON body (offset 0).'],
    ['{"a"\u00a01}', 'Expected ":" after the key "a", found character U+00A0 in the JSON body (offset 4).'],
    ['[1 2]', 'Expected "," or "]" in an array, found character "2" in the JSON body (offset 3).'],
    ['{"a":1 "b":2}', 'Expected "," or "}" in an object, found character \'"\' in the JSON body (offset 7).'],
  ])('when the text is %j, then 400 invalid_json: %s', (text, message) => {
    expect(refusal(text)).toEqual({ code: 'invalid_json', message });
  });

  test('when a duplicate key is very long, then the message quotes only its start', () => {
    const key = 'k'.repeat(1_000);
    expect(refusal(`{"${key}":1,"${key}":2}`).message).toBe(
      `Duplicate key "${'k'.repeat(40)}…" in the JSON body (offset 1006).`,
    );
  });

  test.each([
    ['3000 nested arrays', '['.repeat(3_000) + ']'.repeat(3_000)],
    ['3000 nested objects', '{"a":'.repeat(3_000) + '1' + '}'.repeat(3_000)],
    ['unclosed nesting', '['.repeat(100_000)],
    [
      `${JSON_NESTING_DEPTH_MAX + 1} levels`,
      `${'['.repeat(JSON_NESTING_DEPTH_MAX + 1)}${']'.repeat(JSON_NESTING_DEPTH_MAX + 1)}`,
    ],
  ])('when the body has %s, then 400 json_nesting_too_deep without recursing further', (_name, text) => {
    expect(refusal(text)).toEqual({
      code: 'json_nesting_too_deep',
      message: `The JSON body nests arrays and objects deeper than ${JSON_NESTING_DEPTH_MAX} levels (offset ${JSON_NESTING_DEPTH_MAX * (text.startsWith('{') ? 5 : 1)}).`,
    });
  });

  test('when a caller asks for a smaller depth, then that one applies', () => {
    expect(() => parseStrictJson('[[1]]', { depthMax: 1 })).toThrow(/deeper than 1 levels/);
    expect(parseStrictJson('[1]', { depthMax: 1 })).toEqual([1]);
  });

  test('property: any text JSON.parse refuses, this parser refuses too', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (text) => {
        let parsedByNode = true;
        try {
          JSON.parse(text);
        } catch {
          parsedByNode = false;
        }
        fc.pre(!parsedByNode);
        expect(() => parseStrictJson(text)).toThrow(DomainError);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('JsonDecimal', () => {
  test('when built from text that is not a JSON number, then it is a programmer error', () => {
    expect(() => new JsonDecimal('1.')).toThrow(/JSON number/);
    expect(() => new JsonDecimal(' 1')).toThrow(/JSON number/);
  });

  test('when printed, then String gives the text and JSON the number', () => {
    const decimal = new JsonDecimal('10.50');
    expect(String(decimal)).toBe('10.50');
    expect(JSON.stringify({ amount: decimal })).toBe('{"amount":10.5}');
  });
});
