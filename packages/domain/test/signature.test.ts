// Goal: our signatures interoperate with any plain HMAC-SHA256 implementation of the documented algorithm,
// and any change to a signed payload is caught. Method: vectors signed by a node:crypto one-liner.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

import { canonicalJson, isFreshTimestamp, secretsEqual, signPayload, verifySignature } from '../src';

const SECRET = 'test-webhook-secret';
const payload = {
  transaction_id: 42,
  bank_reference: 'BNK-7Q2K9',
  status: 'success',
  error_message: null,
  timestamp: 1_790_000_000,
};

// The one-liner an integrator would write from the README: sorted keys, no whitespace, hex HMAC-SHA256.
const oneLiner = (body: string) => createHmac('sha256', SECRET).update(body).digest('hex');

describe('webhook signatures', () => {
  test('when the canonical form is built, then keys are sorted and whitespace is gone', () => {
    expect(canonicalJson({ ...payload, signature: 'ignored-only-at-signing' })).toBe(
      '{"bank_reference":"BNK-7Q2K9","error_message":null,"signature":"ignored-only-at-signing","status":"success","timestamp":1790000000,"transaction_id":42}',
    );
  });

  test('when a payload is signed by a plain node:crypto one-liner, then it verifies', () => {
    const signature = oneLiner(
      '{"bank_reference":"BNK-7Q2K9","error_message":null,"status":"success","timestamp":1790000000,"transaction_id":42}',
    );
    expect(signPayload(payload, SECRET)).toBe(signature);
    expect(verifySignature({ ...payload, signature }, signature, SECRET)).toBe(true);
    expect(verifySignature(payload, signature.toUpperCase(), SECRET)).toBe(true);
  });

  test('when one byte of the payload or the signature changes, then it does not verify', () => {
    const signature = signPayload(payload, SECRET);
    expect(verifySignature({ ...payload, transaction_id: 43 }, signature, SECRET)).toBe(false);
    expect(verifySignature({ ...payload, status: 'failed' }, signature, SECRET)).toBe(false);
    const flipped = (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1);
    expect(verifySignature(payload, flipped, SECRET)).toBe(false);
    expect(verifySignature(payload, signature, 'another-secret')).toBe(false);
    expect(verifySignature(payload, signature.slice(0, 63), SECRET)).toBe(false);
    expect(verifySignature(payload, undefined, SECRET)).toBe(false);
    expect(verifySignature(payload, 'zz'.repeat(32), SECRET)).toBe(false);
  });

  test('when text is not ASCII, then it is escaped as Python json.dumps does', () => {
    expect(canonicalJson({ b: 'é', a: '\u007f', c: '😀' })).toBe('{"a":"\\u007f","b":"\\u00e9","c":"\\ud83d\\ude00"}');
  });

  test('property: any change of any field breaks the signature', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (original, changed) => {
        fc.pre(original !== changed);
        const signature = signPayload({ ...payload, error_message: original }, SECRET);
        expect(verifySignature({ ...payload, error_message: original }, signature, SECRET)).toBe(true);
        expect(verifySignature({ ...payload, error_message: changed }, signature, SECRET)).toBe(false);
      }),
    );
  });

  test('when a timestamp is within 300 s either way, then it is fresh; otherwise it is stale', () => {
    const now = 1_790_000_000;
    expect(isFreshTimestamp(now - 300, now)).toBe(true);
    expect(isFreshTimestamp(now + 300, now)).toBe(true);
    expect(isFreshTimestamp(now - 301, now)).toBe(false);
    expect(isFreshTimestamp(now + 301, now)).toBe(false);
    expect(isFreshTimestamp(Number.NaN, now)).toBe(false);
  });

  test('when secrets are compared, then only equal ones match', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abd')).toBe(false);
    expect(secretsEqual('abc', 'abcd')).toBe(false);
  });
});
