import type { ChildProcess } from 'node:child_process';

/**
 * Child processes as `pnpm start` runs them. A child killed by a signal has a null exitCode (its
 * signalCode is set instead), so "still running" needs both; counting such a child as running made
 * stopping wait for an exit that had already happened, the whole grace period long.
 */

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * SIGTERM to every child still running, then waits until each has exited, and no longer: a child that
 * already died never delays the others. Whatever still runs after graceMs gets SIGKILL.
 */
export async function stopChildren(children: ChildProcess[], graceMs: number): Promise<'exited' | 'killed'> {
  const running = children.filter(isRunning);
  // Registered in the same tick as the check above: an 'exit' event cannot slip between them.
  const exits = running.map((child) => new Promise<void>((resolve) => child.once('exit', () => resolve())));
  for (const child of running) child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'killed'>((resolve) => {
    timer = setTimeout(() => resolve('killed'), graceMs);
  });
  const outcome = await Promise.race([Promise.all(exits).then(() => 'exited' as const), deadline]);
  clearTimeout(timer);
  for (const child of children) if (isRunning(child)) child.kill('SIGKILL');
  return outcome;
}
