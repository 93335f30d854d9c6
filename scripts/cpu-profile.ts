// `pnpm exec tsx scripts/cpu-profile.ts <dir|file.cpuprofile>... [--top N]`: where a process spent its
// CPU, from the `.cpuprofile` files `node --cpu-prof` writes (BENCH_CPU_PROF=<name> pnpm bench ...).
// Self time is summed per function and per package (a third-party package by its node_modules name,
// our bundled code as "app", Node's own modules as "node:internal"); idle, GC and native calls such as
// `writev` are V8's own entries and are shown as such. Busy % is of the time the process was not idle.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const topIndex = args.indexOf('--top');
const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 20;
const targets = args.filter((arg, index) => arg !== '--top' && index !== topIndex + 1);
if (targets.length === 0) {
  console.error('usage: tsx scripts/cpu-profile.ts <dir|file.cpuprofile>... [--top N]');
  process.exit(2);
}

for (const file of targets.flatMap(profilesUnder)) summarise(file);

function summarise(file: string): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfByFunction = new Map<string, number>();
  const selfByPackage = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const node = byId.get(id);
    if (!node) return;
    totalUs += delta;
    const name = node.callFrame.functionName || '(anonymous)';
    if (name === '(idle)') {
      idleUs += delta;
      return;
    }
    const where = packageOf(node.callFrame.url, name);
    const key = `${name}  ${shortUrl(node.callFrame.url)}${node.callFrame.url ? `:${node.callFrame.lineNumber + 1}` : ''}`;
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + delta);
    selfByPackage.set(where, (selfByPackage.get(where) ?? 0) + delta);
  });
  const busyUs = totalUs - idleUs;
  const pct = (us: number) => `${((us / Math.max(busyUs, 1)) * 100).toFixed(1).padStart(5)}%`;
  const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
  console.log(`\n== ${path.relative(process.cwd(), file)}`);
  console.log(
    `wall ${(totalUs / 1e6).toFixed(1)} s, busy ${(busyUs / 1e6).toFixed(1)} s (${((busyUs / Math.max(totalUs, 1)) * 100).toFixed(0)}% of wall), idle ${(idleUs / 1e6).toFixed(1)} s`,
  );
  console.log('-- self time by package (% of busy)');
  for (const [name, us] of sorted(selfByPackage).slice(0, top)) console.log(`${ms(us)} ${pct(us)}  ${name}`);
  console.log('-- self time by function (% of busy)');
  for (const [name, us] of sorted(selfByFunction).slice(0, top)) console.log(`${ms(us)} ${pct(us)}  ${name}`);
}

function profilesUnder(target: string): string[] {
  if (!statSync(target).isDirectory()) return [target];
  return readdirSync(target, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.cpuprofile'))
    .sort()
    .map((name) => path.join(target, name));
}

/** A third-party package by its name in node_modules, our bundle as "app", Node's own code, or V8's entries. */
function packageOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : `native ${functionName}`;
  if (url.startsWith('node:')) return 'node:internal';
  const parts = url.split('/node_modules/');
  if (parts.length > 1) {
    const rest = (parts[parts.length - 1] ?? '').split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? url);
  }
  return url.includes('/dist/') ? 'app' : url;
}

function shortUrl(url: string): string {
  const parts = url.split('/node_modules/');
  if (parts.length > 1) return parts[parts.length - 1] ?? url;
  const apps = url.indexOf('/apps/');
  return apps >= 0 ? url.slice(apps + 1) : url;
}

function sorted(map: Map<string, number>): [string, number][] {
  return [...map.entries()].sort((a, b) => b[1] - a[1]);
}
