// Goal: canonical JSON of whatever the body parser returns is byte-for-byte what Python's
// json.dumps(json.loads(text), sort_keys=True, separators=(',', ':')) prints, so a webhook signed by the
// seed's Python clients verifies here. Method: vectors printed by Python 3 (in the comment of each row).
import { describe, expect, test } from 'vitest';

import { canonicalJson, DomainError, JSON_NESTING_DEPTH_MAX, parseStrictJson, pythonFloatRepr } from '../src';

describe('canonicalJson of parsed bodies', () => {
  test.each([
    ['{"b":1,"amount":10.50}', '{"amount":10.5,"b":1}'],
    [
      '{"x":[1.0,100.0,0.0001,0.00001,1e16,1.5e16,1e15,123456789012345.6,1e22,-0.0,0,-0,1e-7,2.5e-10,1E+2,10.0000000000000001]}',
      '{"x":[1.0,100.0,0.0001,1e-05,1e+16,1.5e+16,1000000000000000.0,123456789012345.6,1e+22,-0.0,0,0,1e-07,2.5e-10,100.0,10.0]}',
    ],
    [
      '{"big":123456789012345678901234567890,"neg":-9007199254740993}',
      '{"big":123456789012345678901234567890,"neg":-9007199254740993}',
    ],
    ['{"\\uffff":1,"\\ud83d\\ude00":2,"z":3,"\\u00e9":4}', '{"z":3,"\\u00e9":4,"\\uffff":1,"\\ud83d\\ude00":2}'],
    ['{"inf":1e400,"ninf":-1e400}', '{"inf":Infinity,"ninf":-Infinity}'],
    ['{"s":"tab\\t \\"quoted\\" \\/ \\u007f é 😀"}', '{"s":"tab\\t \\"quoted\\" / \\u007f \\u00e9 \\ud83d\\ude00"}'],
  ])('when the body is %s, then Python prints %s', (text, python) => {
    expect(canonicalJson(parseStrictJson(text))).toBe(python);
  });

  test(`when a value nests ${JSON_NESTING_DEPTH_MAX} deep, then it is printed; one deeper is refused as json_nesting_too_deep`, () => {
    const nested = (depth: number): unknown => {
      let value: unknown = 1;
      for (let level = 0; level < depth; level += 1) value = [value];
      return value;
    };
    expect(canonicalJson(parseStrictJson(JSON.stringify(nested(JSON_NESTING_DEPTH_MAX))))).toBe(
      JSON.stringify(nested(JSON_NESTING_DEPTH_MAX)),
    );
    expect(() => canonicalJson(nested(JSON_NESTING_DEPTH_MAX + 1))).toThrow(DomainError);
    expect(() => canonicalJson(nested(100_000))).toThrow(/deeper than 32 levels/);
  });
});

describe('pythonFloatRepr', () => {
  test.each([
    [10.5, '10.5'],
    [100, '100.0'],
    [0.1, '0.1'],
    [1 / 3, '0.3333333333333333'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1e16, '1e+16'],
    [9999999999999998, '9999999999999998.0'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [5e-324, '5e-324'],
    [-2.5, '-2.5'],
    [-0, '-0.0'],
    [0, '0.0'],
  ])('when the double is %d, then repr() prints %s', (value, repr) => {
    expect(pythonFloatRepr(value)).toBe(repr);
  });
});
