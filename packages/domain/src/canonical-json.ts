import { DomainError } from './errors';
import { JSON_NESTING_DEPTH_MAX } from './limits';
import { JsonDecimal } from './strict-json';

/**
 * Canonical JSON: object keys sorted, no whitespace, non-ASCII escaped as \uXXXX. It is byte-for-byte what
 * Python's json.dumps(value, sort_keys=True, separators=(',', ':')) prints for the same JSON, which the
 * seed's clients use to sign webhooks, so a signature made there verifies here. Where Python and
 * JavaScript print differently, Python's form is kept: keys sort by code point, a float prints as repr()
 * does (10.0 -> "10.0", 1e-05, 1e+16), an integer literal of any size keeps all its digits.
 * Nesting is bounded like the parser's, so a payload the parser accepted is never refused here.
 */
export function canonicalJson(value: unknown): string {
  return canonicalValue(value, 0);
}

/** Python's repr() of the double nearest to `value`, e.g. 10.5 -> "10.5", 100 -> "100.0", 1e16 -> "1e+16". */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const magnitude = Math.abs(value);
  if (magnitude === 0) return `${sign}0.0`;
  // toExponential() without an argument gives the shortest digits that read back as the same double,
  // which is also what Python's repr() starts from; only the layout differs.
  const match = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(magnitude.toExponential());
  if (!match) throw new TypeError(`unexpected exponential form of ${magnitude}`);
  const digits = `${match[1] ?? ''}${match[2] ?? ''}`;
  const pointPosition = Number(match[3]) + 1;
  // CPython's float_repr: scientific notation when the decimal point is this far left or right.
  if (pointPosition <= -4 || pointPosition > 16) {
    const exponent = pointPosition - 1;
    const mantissa = digits.length > 1 ? `${digits[0] ?? ''}.${digits.slice(1)}` : digits;
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (pointPosition <= 0) return `${sign}0.${'0'.repeat(-pointPosition)}${digits}`;
  if (pointPosition >= digits.length) return `${sign}${digits}${'0'.repeat(pointPosition - digits.length)}.0`;
  return `${sign}${digits.slice(0, pointPosition)}.${digits.slice(pointPosition)}`;
}

function canonicalValue(value: unknown, depth: number): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return escapeNonAscii(JSON.stringify(value));
    case 'number':
      return canonicalNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object':
      if (value instanceof JsonDecimal) return canonicalDecimal(value);
      if (depth + 1 > JSON_NESTING_DEPTH_MAX) {
        throw new DomainError(
          'json_nesting_too_deep',
          `Canonical JSON nests arrays and objects deeper than ${JSON_NESTING_DEPTH_MAX} levels.`,
        );
      }
      if (Array.isArray(value))
        return `[${value.map((item: unknown) => canonicalValue(item ?? null, depth + 1)).join(',')}]`;
      return canonicalObject(value as Record<string, unknown>, depth + 1);
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}

function canonicalNumber(value: number): string {
  if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no NaN or Infinity');
  // An integral double prints as JSON.stringify does (Python would see the same literal as an int).
  if (Number.isInteger(value)) return JSON.stringify(value);
  return pythonFloatRepr(value);
}

/** As Python reads the literal: an integer literal is an int (every digit kept), anything else a float. */
function canonicalDecimal(decimal: JsonDecimal): string {
  if (/^-?\d+$/.test(decimal.text)) return BigInt(decimal.text).toString();
  return pythonFloatRepr(decimal.toNumber());
}

function canonicalObject(object: Record<string, unknown>, depth: number): string {
  const keys = Object.keys(object)
    .filter((key) => object[key] !== undefined)
    .sort(compareCodePoints);
  return `{${keys.map((key) => `${escapeNonAscii(JSON.stringify(key))}:${canonicalValue(object[key], depth)}`).join(',')}}`;
}

/**
 * Python sorts str by code point; JavaScript's default sort compares UTF-16 units, which differs only when
 * a surrogate (a code point above U+FFFF) meets a unit in U+E000..U+FFFF. Ranking units so surrogates come
 * last gives code-point order without decoding.
 */
function compareCodePoints(left: string, right: string): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index += 1) {
    const leftUnit = left.charCodeAt(index);
    const rightUnit = right.charCodeAt(index);
    if (leftUnit !== rightUnit) return codeUnitRank(leftUnit) - codeUnitRank(rightUnit);
  }
  return left.length - right.length;
}

function codeUnitRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

function escapeNonAscii(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
