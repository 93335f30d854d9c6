import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Sliding-window rate limits in Redis, shared by every API instance. One Lua script checks every window a
 * request falls under (say, the user's balance window and the global window) and records the request in
 * all of them only if all allow it, atomically, in one round trip. Time comes from Redis's own clock, so
 * instances with skewed clocks still agree.
 */

const SLIDING_WINDOW = `
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local window = tonumber(ARGV[1])
local member = ARGV[2]
local result = {}
local allowed = 1
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 + i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  local reset = now + window
  if oldest[2] then reset = tonumber(oldest[2]) + window end
  if count >= limit then allowed = 0 end
  result[#result + 1] = count
  result[#result + 1] = reset
end
if allowed == 1 then
  for _, key in ipairs(KEYS) do
    redis.call('ZADD', key, now, member)
    redis.call('PEXPIRE', key, window)
  end
end
table.insert(result, 1, now)
table.insert(result, 1, allowed)
return result
`;

export interface LimitRule {
  /** Name of the window, e.g. "balance" or "global". */
  scope: string;
  /** Who it applies to: "user:42", "address:203.0.113.7", an email's hash, or "all". */
  subject: string;
  limit: number;
  /** Still enforced, by an in-process limiter, while Redis cannot be reached (login's windows). */
  enforcedWithoutRedis?: boolean;
}

export interface WindowState {
  scope: string;
  limit: number;
  remaining: number;
  resetAtMs: number;
}

export interface RateDecision {
  allowed: boolean;
  /** The windows checked, in the order given. */
  windows: WindowState[];
  /** For a refusal, whole seconds until the refusing window frees a slot (at least 1). */
  retryAfterS: number;
  /** The window that refused, if any. */
  refusedScope: string | null;
}

interface SlidingWindowRedis extends Redis {
  paygateSlidingWindow(numberOfKeys: number, ...args: (string | number)[]): Promise<number[]>;
}

export class RateLimiter {
  private readonly redis: SlidingWindowRedis;
  /**
   * A request's member in the windows' sorted sets must be unique across instances: a random prefix per
   * process and a counter, rather than fresh random bytes per request (a measurable share of the API's CPU).
   */
  private readonly memberPrefix = randomBytes(8).toString('hex');
  private memberCount = 0;

  constructor(
    redis: Redis,
    private readonly options: { prefix: string; windowMs: number },
  ) {
    // defineCommand loads the script once and calls it by SHA, reloading it if Redis lost it.
    redis.defineCommand('paygateSlidingWindow', { lua: SLIDING_WINDOW });
    this.redis = redis as SlidingWindowRedis;
  }

  async check(rules: LimitRule[]): Promise<RateDecision> {
    const keys = rules.map((rule) => `${this.options.prefix}ratelimit:${rule.scope}:${rule.subject}`);
    this.memberCount += 1;
    const member = `${this.memberPrefix}-${this.memberCount}`;
    const reply = await this.redis.paygateSlidingWindow(
      keys.length,
      ...keys,
      this.options.windowMs,
      member,
      ...rules.map((rule) => rule.limit),
    );
    const allowed = reply[0] === 1;
    const nowMs = Number(reply[1]);
    const windows = rules.map((rule, index) => {
      const count = Number(reply[2 + index * 2]);
      const resetAtMs = Number(reply[3 + index * 2]);
      const used = allowed ? count + 1 : count;
      return { scope: rule.scope, limit: rule.limit, remaining: Math.max(0, rule.limit - used), resetAtMs };
    });
    const refused = allowed
      ? undefined
      : windows.find((window, index) => Number(reply[2 + index * 2]) >= (rules[index]?.limit ?? 0));
    return {
      allowed,
      windows,
      retryAfterS: refused ? Math.max(1, Math.ceil((refused.resetAtMs - nowMs) / 1000)) : 0,
      refusedScope: refused?.scope ?? null,
    };
  }
}
