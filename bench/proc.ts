/** What a benchmark reads of another process from Linux's /proc, steadier than timings on a shared machine. */
import { readFileSync } from 'node:fs';

/** User + system CPU time a process has used, in ms (Linux /proc; clock ticks of 10 ms). */
export function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/**
 * Read and write system calls a process has made (Linux /proc/<pid>/io, all its threads):
 * each store or provider round trip costs at least one of each, and unlike CPU time the
 * count does not change with what else the machine is doing.
 */
export function ioSyscalls(pid: number | undefined): { reads: number; writes: number } {
  const none = { reads: Number.NaN, writes: Number.NaN };
  if (pid === undefined) return none;
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    const field = (name: string) => Number(io.match(new RegExp(`^${name}: (\\d+)$`, 'm'))?.[1]);
    return { reads: field('syscr'), writes: field('syscw') };
  } catch {
    return none;
  }
}
