/**
 * Operators of the console and what each role may do. A viewer looks; an operator also repairs payments,
 * replays dead letters and manages users' keys. Every action is one of AUDIT_ACTIONS in the audit log.
 */

export const OPERATOR_ROLES = ['viewer', 'operator'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

export const AUDIT_ACTIONS = [
  'login',
  'logout',
  'reconcile',
  'retry',
  'fail',
  'replay_dead_letter',
  'issue_key',
  'revoke_key',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isOperatorRole(value: unknown): value is OperatorRole {
  return typeof value === 'string' && (OPERATOR_ROLES as readonly string[]).includes(value);
}

export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === 'string' && (AUDIT_ACTIONS as readonly string[]).includes(value);
}

/** Whether the role may change anything (repairs, replays, keys); viewers only read. */
export function mayChange(role: OperatorRole): boolean {
  return role === 'operator';
}
