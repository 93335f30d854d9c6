/**
 * What each of the worker's queues is for, read from its name (DESIGN.md, the worker's topology): only the
 * process queue is consumed. A retry queue holds a message until its delay expires and RabbitMQ sends it
 * back to the process queue; the dead queue is kept for the record, and the console lists it from the
 * database. A consumer count of zero is an alarm only on the first kind.
 */
export type QueueRole = 'work' | 'delay' | 'dead';

export function queueRole(name: string): QueueRole {
  if (/\.retry\.\d+$/.test(name)) return 'delay';
  if (/\.(dead|dlq)$/.test(name)) return 'dead';
  return 'work';
}

const ROLE_ORDER: Record<QueueRole, number> = { work: 0, dead: 1, delay: 2 };

/** The consumed queues first, then the dead queue, then the retry queues by their delay. */
export function byQueueRole(a: { name: string }, b: { name: string }): number {
  const roleOrder = ROLE_ORDER[queueRole(a.name)] - ROLE_ORDER[queueRole(b.name)];
  if (roleOrder !== 0) return roleOrder;
  return a.name.localeCompare(b.name, 'en', { numeric: true });
}
