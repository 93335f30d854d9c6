// Goal: the local tooling a newcomer meets first behaves: `pnpm start` stops its apps as soon as they have
// all exited, even when one had already died; its Redis hint names the port of REDIS_URL; and a Makefile
// target that needs Docker says so in one line, without a traceback, and exits non-zero when there is no
// Docker. Method: real child processes and the real Makefile, with stand-in docker clients on PATH.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

import { isRunning, redisStartCommand, REPO_ROOT, stopChildren } from '../src';

const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started) if (isRunning(child)) child.kill('SIGKILL');
});

/** A node process that prints "ready" once its SIGTERM handler is in place. */
function child(onSigterm: 'exit' | 'ignore'): Promise<ChildProcess> {
  const script = `process.on('SIGTERM', () => { ${onSigterm === 'exit' ? 'process.exit(0);' : ''} }); setInterval(() => {}, 1000); console.log('ready');`;
  const process_ = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(process_);
  return new Promise((resolve) => process_.stdout.once('data', () => resolve(process_)));
}

function exited(process_: ChildProcess): Promise<void> {
  return isRunning(process_) ? new Promise((resolve) => process_.once('exit', () => resolve())) : Promise.resolve();
}

describe('stopping the apps of pnpm start', () => {
  test('when one app was killed by a signal, then stopping the others ends when they exit, not after the grace period', async () => {
    const apps = await Promise.all([child('exit'), child('exit'), child('exit')]);
    const [dead] = apps;
    dead.kill('SIGKILL');
    await exited(dead);
    expect(dead.exitCode).toBeNull(); // killed by a signal: the case that used to be counted as running
    // A grace period far beyond the test's timeout: only an early return can pass.
    expect(await stopChildren(apps, 10 * 60_000)).toBe('exited');
    expect(apps.map(isRunning)).toEqual([false, false, false]);
  });

  test('when an app ignores SIGTERM, then it is killed once the grace period is over', async () => {
    const stubborn = await child('ignore');
    expect(await stopChildren([stubborn], 200)).toBe('killed');
    await exited(stubborn);
    expect(stubborn.signalCode).toBe('SIGKILL');
  });
});

describe('the Redis hint of pnpm start', () => {
  test.each([
    ['redis://127.0.0.1:6380', 'redis-server --daemonize yes --port 6380'],
    ['redis://:secret@localhost:7000/2', 'redis-server --daemonize yes --port 7000'],
    ['redis://127.0.0.1', 'redis-server --daemonize yes --port 6379'],
  ])('when REDIS_URL is %s, then the hint starts Redis with: %s', (url, command) => {
    expect(redisStartCommand(url)).toBe(command);
  });
});

describe('make targets that need Docker', () => {
  const makefile = readFileSync(path.join(REPO_ROOT, 'Makefile'), 'utf8');
  const dockerTargets = (/^DOCKER_TARGETS := (.+)$/m.exec(makefile)?.[1] ?? '').split(/\s+/);
  const stubs = mkdtempSync(path.join(tmpdir(), 'paygate-make-'));
  afterAll(() => rmSync(stubs, { recursive: true, force: true }));

  function make(target: string, binaries: 'client without engine' | 'none', systemPath = false) {
    const bin = path.join(stubs, binaries === 'none' ? 'none' : 'client');
    if (binaries !== 'none') {
      // A docker client whose engine is not running, and docker-compose v1 (which would print a traceback).
      writeFile(path.join(bin, 'docker'), '#!/bin/sh\necho "Cannot connect to the Docker daemon" >&2\nexit 1\n');
      writeFile(path.join(bin, 'docker-compose'), '#!/bin/sh\necho "Traceback (most recent call last):" >&2\nexit 1\n');
    } else {
      writeFile(path.join(bin, '.keep'), '');
    }
    return spawnSync('/usr/bin/make', ['-C', REPO_ROOT, '--no-print-directory', target], {
      env: { PATH: systemPath ? `${bin}:/usr/bin:/bin` : bin, HOME: tmpdir() },
      encoding: 'utf8',
      timeout: 20_000,
    });
  }

  test('when the Makefile is read, then every target that runs Docker Compose is guarded', () => {
    const composeTargets = [...makefile.matchAll(/^([a-z-]+):[^\n]*\n((?:\t[^\n]*\n)+)/gm)]
      .filter(([, , recipe]) => recipe?.includes('$(COMPOSE)'))
      .map(([, target]) => target);
    expect(composeTargets.length).toBeGreaterThan(8);
    expect([...dockerTargets].sort()).toEqual([...composeTargets].sort());
  });

  test.each(['up', 'seed', 'logs', 'clean'])(
    'when `make %s` meets a Docker client without an engine, then one line says so and it exits non-zero',
    (target) => {
      const result = make(target, 'client without engine');
      expect(result.status).not.toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(new RegExp(`make ${target}: no Docker engine is running .*make start`)),
      ]);
    },
  );

  test('when `make up` finds no Docker at all, then one line says so and it exits non-zero', () => {
    const result = make('up', 'none');
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/make up: neither 'docker compose' nor 'docker-compose' is installed/),
    ]);
  });

  test('when `make help` runs without a Docker engine, then it lists the targets and succeeds', () => {
    const result = make('help', 'client without engine', true);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('start');
    expect(result.stdout).toContain('up');
  });
});

function writeFile(file: string, text: string): void {
  spawnSync('mkdir', ['-p', path.dirname(file)]);
  writeFileSync(file, text);
  chmodSync(file, 0o755);
}
