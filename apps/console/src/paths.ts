/** The console's own URLs, in one place, so links and routes agree. */

export function paymentPath(id: number): string {
  return `/payments/${id}`;
}

export function userPath(id: number): string {
  return `/users/${id}`;
}

export const STUCK_PAYMENTS_PATH = '/payments?stuck=true';
export const WAITING_DEAD_LETTERS_PATH = '/dead-letters?state=waiting';

export function auditPathFor(target: { paymentId?: number; userId?: number }): string {
  const params = new URLSearchParams();
  if (target.paymentId !== undefined) params.set('payment_id', String(target.paymentId));
  if (target.userId !== undefined) params.set('user_id', String(target.userId));
  return `/audit?${params.toString()}`;
}
