// Goal: the Standard Webhooks signature, the secret box and the SSRF address rule, as integrators and
// attackers meet them. Method: the signature against a vector computed by hand from the spec's recipe;
// addresses from each refused range, in each spelling the URL parser accepts.
import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';

import {
  AddressAllowlist,
  generateWebhookSecret,
  isPublicAddress,
  signWebhook,
  verifyWebhook,
  webhookRetryDelayS,
  WebhookSecretBox,
  webhookUrlProblem,
} from '../src';

describe('Standard Webhooks signature', () => {
  test('when a message is signed, then it is v1,<base64 HMAC-SHA256 of id.timestamp.body> under the decoded key', () => {
    const key = Buffer.from('paygate-test-signing-key-24b');
    const secret = `whsec_${key.toString('base64')}`;
    const body = '{"type":"transaction.updated"}';
    const expected = createHmac('sha256', key).update(`msg_1.1700000000.${body}`).digest('base64');
    expect(signWebhook(secret, 'msg_1', 1_700_000_000, body)).toBe(`v1,${expected}`);
    expect(verifyWebhook(secret, 'msg_1', 1_700_000_000, body, `v1,bogus v1,${expected}`)).toBe(true);
    expect(verifyWebhook(secret, 'msg_1', 1_700_000_001, body, `v1,${expected}`)).toBe(false);
    expect(verifyWebhook(generateWebhookSecret(), 'msg_1', 1_700_000_000, body, `v1,${expected}`)).toBe(false);
  });

  test('when a secret is generated, then it is whsec_ and 24 random bytes in base64', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  test('when the schedule is spent, then there is no further delay', () => {
    expect(webhookRetryDelayS([5, 300], 1)).toBe(5);
    expect(webhookRetryDelayS([5, 300], 2)).toBe(300);
    expect(webhookRetryDelayS([5, 300], 3)).toBeNull();
  });
});

describe('WebhookSecretBox', () => {
  test('when a secret is sealed, then only the same master key opens it, and the text does not show it', () => {
    const secret = generateWebhookSecret();
    const sealed = new WebhookSecretBox('master-key-for-tests-0001').seal(secret);
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain(secret.slice(6, 20));
    expect(new WebhookSecretBox('master-key-for-tests-0001').open(sealed)).toBe(secret);
    expect(() => new WebhookSecretBox('another-master-key-0002').open(sealed)).toThrow();
  });
});

describe('webhook addresses (SSRF)', () => {
  const none = new AddressAllowlist([]);

  test.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '64:ff9b::a00:1',
  ])('when the address is %s, then it is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  test.each(['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c', '::ffff:5db8:d70e'])(
    'when the address is %s, then it is public',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );

  test.each([
    ['ftp://example.com/', 'scheme_not_allowed'],
    ['file:///etc/passwd', 'scheme_not_allowed'],
    ['not a url', 'invalid_url'],
    ['https://user:pw@example.com/', 'credentials_not_allowed'],
    ['http://127.0.0.1:8000/', 'address_not_allowed'],
    ['http://2130706433/', 'address_not_allowed'],
    ['http://0x7f.1/', 'address_not_allowed'],
    ['http://[::ffff:127.0.0.1]/', 'address_not_allowed'],
    ['http://localhost:3000/', 'address_not_allowed'],
    ['http://169.254.169.254/latest/meta-data/', 'address_not_allowed'],
    ['https://hooks.example.com/paygate', null],
  ])('when the URL is %s, then the problem is %s', (url, problem) => {
    expect(webhookUrlProblem(url, none)).toBe(problem);
  });

  test('when loopback is allowlisted, then a loopback URL passes and a private one still does not', () => {
    const loopback = new AddressAllowlist(['127.0.0.0/8', '::1/128']);
    expect(webhookUrlProblem('http://127.0.0.1:8000/', loopback)).toBeNull();
    expect(webhookUrlProblem('http://localhost:8000/', loopback)).toBeNull();
    expect(webhookUrlProblem('http://10.0.0.1/', loopback)).toBe('address_not_allowed');
  });
});
