import { assert } from './assert';
import { DomainError } from './errors';
import { JSON_NESTING_DEPTH_MAX } from './limits';

/**
 * A strict JSON parser for request bodies. JSON.parse accepts things a payment API must not: it keeps the
 * last of two equal keys, lets lone surrogates through (PostgreSQL's jsonb then refuses them mid-request),
 * recurses as deep as the body nests (a 6 KB body of brackets overflows the stack), and turns
 * 10.0000000000000001 into 10, so the amount check never sees what the caller wrote. This parser refuses
 * the first three with a message that names the problem and where it is, and keeps the text of every
 * number that is not a plain safe integer in a JsonDecimal, so the amount decoder judges the literal.
 */

/** A JSON number kept as its literal, because a double would not say what was written (10.000, 1e3, 2^60). */
export class JsonDecimal {
  readonly text: string;

  constructor(text: string) {
    assert(JSON_NUMBER.test(text), 'a JsonDecimal holds the text of a JSON number');
    this.text = text;
  }

  /** The nearest double, which is what JSON.parse would have produced. */
  toNumber(): number {
    return Number(this.text);
  }

  /** JSON.stringify (logs, jsonb parameters) sees the number JSON.parse would have produced. */
  toJSON(): number {
    return this.toNumber();
  }

  toString(): string {
    return this.text;
  }
}

export type JsonValue = null | boolean | number | string | JsonDecimal | JsonValue[] | { [key: string]: JsonValue };

export interface StrictJsonOptions {
  /** Deepest nesting accepted; the top-level array or object is depth 1. */
  depthMax?: number;
}

/**
 * Parses JSON text (RFC 8259, any value at the top) or throws a DomainError: `json_nesting_too_deep` past
 * the depth bound, `invalid_json` for everything else. Integers that fit a double exactly come back as
 * numbers; every other number as a JsonDecimal.
 */
export function parseStrictJson(text: string, options: StrictJsonOptions = {}): JsonValue {
  const parser = new StrictJsonParser(text, options.depthMax ?? JSON_NESTING_DEPTH_MAX);
  return parser.parseDocument();
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** Up to 15 digits an integer is always a safe integer: the check needs no conversion. */
const SAFE_INTEGER_DIGIT_COUNT_MAX = 15;
/** What a string's text may not hold as is: an escape, a control character, or a surrogate to pair up. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for.
const NEEDS_CAREFUL_SCAN = /[\u0000-\u001f\\\ud800-\udfff]/;
/** Keys quoted in messages are cut to this, so an error never echoes a whole body back. */
const QUOTED_KEY_LENGTH_MAX = 40;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const BRACE_OPEN = 0x7b;
const BRACE_CLOSE = 0x7d;
const BRACKET_OPEN = 0x5b;
const BRACKET_CLOSE = 0x5d;
const SURROGATE_HIGH_MIN = 0xd800;
const SURROGATE_HIGH_MAX = 0xdbff;
const SURROGATE_LOW_MIN = 0xdc00;
const SURROGATE_LOW_MAX = 0xdfff;

const SIMPLE_ESCAPES: Record<number, string> = {
  0x22: '"',
  0x5c: '\\',
  0x2f: '/',
  0x62: '\b',
  0x66: '\f',
  0x6e: '\n',
  0x72: '\r',
  0x74: '\t',
};

class StrictJsonParser {
  private index = 0;

  constructor(
    private readonly text: string,
    private readonly depthMax: number,
  ) {
    assert(Number.isSafeInteger(depthMax) && depthMax >= 1, 'depthMax must be a positive integer');
  }

  parseDocument(): JsonValue {
    this.skipWhitespace();
    const value = this.parseValue(0);
    this.skipWhitespace();
    if (this.index < this.text.length)
      this.fail(`Unexpected ${this.describeAt(this.index)} after the JSON value`, this.index);
    return value;
  }

  private parseValue(depth: number): JsonValue {
    const code = this.text.charCodeAt(this.index);
    switch (code) {
      case BRACE_OPEN:
        return this.parseObject(depth + 1);
      case BRACKET_OPEN:
        return this.parseArray(depth + 1);
      case QUOTE:
        return this.parseString();
      case 0x74:
        return this.parseLiteral('true', true);
      case 0x66:
        return this.parseLiteral('false', false);
      case 0x6e:
        return this.parseLiteral('null', null);
      default:
        if (code === MINUS || (code >= DIGIT_0 && code <= DIGIT_9)) return this.parseNumber();
        return this.fail(`Unexpected ${this.describeAt(this.index)} where a value should start`, this.index);
    }
  }

  private parseObject(depth: number): JsonValue {
    this.enter(depth);
    const object: Record<string, JsonValue> = {};
    this.index += 1;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.index) === BRACE_CLOSE) {
      this.index += 1;
      return object;
    }
    for (;;) {
      const keyOffset = this.index;
      if (this.text.charCodeAt(keyOffset) !== QUOTE)
        this.fail(`Expected a key in double quotes, found ${this.describeAt(keyOffset)}`, keyOffset);
      const key = this.parseString();
      if (Object.hasOwn(object, key)) this.fail(`Duplicate key ${quoteKey(key)}`, keyOffset);
      this.skipWhitespace();
      if (this.text.charCodeAt(this.index) !== COLON)
        this.fail(`Expected ":" after the key ${quoteKey(key)}, found ${this.describeAt(this.index)}`, this.index);
      this.index += 1;
      this.skipWhitespace();
      const value = this.parseValue(depth);
      // "__proto__" must become an own property, as JSON.parse makes it, never the object's prototype.
      if (key === '__proto__')
        Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
      else object[key] = value;
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.index);
      this.index += 1;
      if (next === BRACE_CLOSE) return object;
      if (next !== COMMA)
        this.fail(`Expected "," or "}" in an object, found ${this.describeAt(this.index - 1)}`, this.index - 1);
      this.skipWhitespace();
    }
  }

  private parseArray(depth: number): JsonValue {
    this.enter(depth);
    const array: JsonValue[] = [];
    this.index += 1;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.index) === BRACKET_CLOSE) {
      this.index += 1;
      return array;
    }
    for (;;) {
      array.push(this.parseValue(depth));
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.index);
      this.index += 1;
      if (next === BRACKET_CLOSE) return array;
      if (next !== COMMA)
        this.fail(`Expected "," or "]" in an array, found ${this.describeAt(this.index - 1)}`, this.index - 1);
      this.skipWhitespace();
    }
  }

  /**
   * The common string (no escape, no control character, no surrogate) is found by indexOf and checked by
   * one native regular expression; anything else takes the character-by-character path.
   */
  private parseString(): string {
    const text = this.text;
    const start = this.index + 1;
    const end = text.indexOf('"', start);
    if (end !== -1) {
      const candidate = text.slice(start, end);
      if (!NEEDS_CAREFUL_SCAN.test(candidate)) {
        this.index = end + 1;
        return candidate;
      }
    }
    let cursor = start;
    for (;;) {
      if (cursor >= text.length) this.fail('Unterminated string', this.index);
      const code = text.charCodeAt(cursor);
      if (code === QUOTE) {
        this.index = cursor + 1;
        return text.slice(start, cursor);
      }
      if (code === BACKSLASH) return this.parseStringWithEscapes(start, cursor);
      if (code < 0x20) this.fail(`Control character ${describeCode(code)} inside a string (escape it)`, cursor);
      if (code >= SURROGATE_HIGH_MIN && code <= SURROGATE_LOW_MAX) cursor = this.skipRawSurrogatePair(cursor);
      else cursor += 1;
    }
  }

  private parseStringWithEscapes(start: number, firstEscape: number): string {
    const text = this.text;
    let value = text.slice(start, firstEscape);
    let cursor = firstEscape;
    for (;;) {
      if (cursor >= text.length) this.fail('Unterminated string', start - 1);
      const code = text.charCodeAt(cursor);
      if (code === QUOTE) {
        this.index = cursor + 1;
        return value;
      }
      if (code === BACKSLASH) {
        const escaped = this.readEscape(cursor);
        value += escaped.text;
        cursor = escaped.end;
        continue;
      }
      const runStart = cursor;
      while (cursor < text.length) {
        const runCode = text.charCodeAt(cursor);
        if (runCode === QUOTE || runCode === BACKSLASH) break;
        if (runCode < 0x20) this.fail(`Control character ${describeCode(runCode)} inside a string (escape it)`, cursor);
        if (runCode >= SURROGATE_HIGH_MIN && runCode <= SURROGATE_LOW_MAX) cursor = this.skipRawSurrogatePair(cursor);
        else cursor += 1;
      }
      value += text.slice(runStart, cursor);
    }
  }

  /** One escape starting at the backslash; a \u high surrogate must be followed by a \u low surrogate. */
  private readEscape(backslash: number): { text: string; end: number } {
    const kind = this.text.charCodeAt(backslash + 1);
    const simple = SIMPLE_ESCAPES[kind];
    if (simple !== undefined) return { text: simple, end: backslash + 2 };
    if (kind !== 0x75)
      this.fail(`Invalid escape: a backslash followed by ${this.describeAt(backslash + 1)} in a string`, backslash);
    const unit = this.readHex4(backslash);
    if (unit >= SURROGATE_LOW_MIN && unit <= SURROGATE_LOW_MAX) this.failLoneSurrogate(unit, backslash);
    if (unit < SURROGATE_HIGH_MIN || unit > SURROGATE_HIGH_MAX)
      return { text: String.fromCharCode(unit), end: backslash + 6 };
    const pairStart = backslash + 6;
    if (this.text.charCodeAt(pairStart) !== BACKSLASH || this.text.charCodeAt(pairStart + 1) !== 0x75)
      this.failLoneSurrogate(unit, backslash);
    const low = this.readHex4(pairStart);
    if (low < SURROGATE_LOW_MIN || low > SURROGATE_LOW_MAX) this.failLoneSurrogate(unit, backslash);
    return { text: String.fromCharCode(unit, low), end: pairStart + 6 };
  }

  private readHex4(backslash: number): number {
    const digits = this.text.slice(backslash + 2, backslash + 6);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) this.fail('Invalid \\u escape: it needs 4 hex digits', backslash);
    return Number.parseInt(digits, 16);
  }

  /** Raw surrogates cannot come from strict UTF-8, but text handed to the parser directly is checked too. */
  private skipRawSurrogatePair(cursor: number): number {
    const code = this.text.charCodeAt(cursor);
    const next = this.text.charCodeAt(cursor + 1);
    if (code <= SURROGATE_HIGH_MAX && next >= SURROGATE_LOW_MIN && next <= SURROGATE_LOW_MAX) return cursor + 2;
    return this.failLoneSurrogate(code, cursor);
  }

  private parseNumber(): JsonValue {
    const text = this.text;
    const start = this.index;
    let cursor = start;
    if (text.charCodeAt(cursor) === MINUS) cursor += 1;
    const integerStart = cursor;
    cursor = this.skipDigits(cursor, 'a digit after "-"');
    if (text.charCodeAt(integerStart) === DIGIT_0 && cursor - integerStart > 1)
      this.fail('Invalid number: leading zeros are not allowed', start);
    const digitCount = cursor - integerStart;
    let isInteger = true;
    if (text.charCodeAt(cursor) === DOT) {
      isInteger = false;
      cursor = this.skipDigits(cursor + 1, 'a digit after the decimal point');
    }
    const exponentMark = text.charCodeAt(cursor);
    if (exponentMark === LOWER_E || exponentMark === UPPER_E) {
      isInteger = false;
      cursor += 1;
      const sign = text.charCodeAt(cursor);
      if (sign === PLUS || sign === MINUS) cursor += 1;
      cursor = this.skipDigits(cursor, 'a digit in the exponent');
    }
    this.index = cursor;
    const literal = text.slice(start, cursor);
    if (isInteger && digitCount <= SAFE_INTEGER_DIGIT_COUNT_MAX) return Number(literal);
    if (isInteger) {
      const value = Number(literal);
      if (Number.isSafeInteger(value)) return value;
    }
    return new JsonDecimal(literal);
  }

  private skipDigits(from: number, expected: string): number {
    let cursor = from;
    for (;;) {
      const code = this.text.charCodeAt(cursor);
      // Written so that NaN (past the end) also stops the scan.
      if (!(code >= DIGIT_0 && code <= DIGIT_9)) break;
      cursor += 1;
    }
    if (cursor === from) this.fail(`Invalid number: expected ${expected}, found ${this.describeAt(cursor)}`, cursor);
    return cursor;
  }

  private parseLiteral(word: string, value: JsonValue): JsonValue {
    if (!this.text.startsWith(word, this.index))
      this.fail(`Unexpected ${this.describeAt(this.index)} where a value should start`, this.index);
    this.index += word.length;
    return value;
  }

  private skipWhitespace(): void {
    const text = this.text;
    let cursor = this.index;
    for (;;) {
      const code = text.charCodeAt(cursor);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) break;
      cursor += 1;
    }
    this.index = cursor;
  }

  private enter(depth: number): void {
    if (depth > this.depthMax) {
      throw new DomainError(
        'json_nesting_too_deep',
        `The JSON body nests arrays and objects deeper than ${this.depthMax} levels (offset ${this.index}).`,
      );
    }
  }

  private describeAt(offset: number): string {
    if (offset >= this.text.length) return 'end of the body';
    return `character ${describeCode(this.text.charCodeAt(offset))}`;
  }

  private failLoneSurrogate(code: number, offset: number): never {
    return this.fail(`Lone surrogate ${describeCode(code)} in a string: text must be well-formed Unicode`, offset);
  }

  private fail(problem: string, offset: number): never {
    throw new DomainError('invalid_json', `${problem} in the JSON body (offset ${offset}).`);
  }
}

function describeCode(code: number): string {
  if (code === QUOTE) return `'"'`;
  if (code > 0x20 && code < 0x7f) return `"${String.fromCharCode(code)}"`;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

function quoteKey(key: string): string {
  const shown = key.length > QUOTED_KEY_LENGTH_MAX ? `${key.slice(0, QUOTED_KEY_LENGTH_MAX)}…` : key;
  return JSON.stringify(shown);
}
