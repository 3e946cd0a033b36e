// Values a lab lets each session have its own of (a memory limit, a write rate, the CPU a
// container is pinned to), so that an answer read from them differs between learners and
// cannot be copied from a neighbour's screen or a screenshot. The choice is derived from the
// session's token, never sent anywhere: the plan (what Docker gets, what the lesson shows)
// and the lab's checks compute the same value from it.
import { createHash } from 'node:crypto';
import type { ContainerProfile } from './lab-definition.ts';

/** One of `options`, the same every time for one token and purpose, spread evenly across tokens. */
export function sessionChoice<T>(token: string, purpose: string, options: readonly T[]): T {
  const digest = createHash('sha256').update(`nslab-choice:${purpose}:${token}`).digest();
  const choice = options[digest.readUInt32BE(0) % options.length];
  if (choice === undefined) throw new Error(`no options to choose ${purpose} from`);
  return choice;
}

/** The container's memory limit in MiB for this session: its per-session choice, else its fixed value. */
export function sessionMemoryMb(profile: ContainerProfile, token: string): number | undefined {
  const options = profile.perSession?.memoryMb;
  return options === undefined
    ? profile.memoryMb
    : sessionChoice(token, `${profile.name}:memoryMb`, options);
}

/** The container's write limit in bytes per second for this session, chosen or fixed. */
export function sessionWriteBps(profile: ContainerProfile, token: string): number | undefined {
  const options = profile.perSession?.blkioWriteBps;
  return options === undefined
    ? profile.blkioWriteBps
    : sessionChoice(token, `${profile.name}:blkioWriteBps`, options);
}

/**
 * The CPU set for this session: one of the host's online CPUs when the profile asks for one
 * chosen per session (`online` is the kernel's list, e.g. "0-3"), else its fixed set.
 */
export function sessionCpuset(
  profile: ContainerProfile,
  token: string,
  online: string,
): string | undefined {
  if (profile.perSession?.oneCpu !== true) return profile.cpusetCpus;
  const cpus = cpuList(online);
  return String(sessionChoice(token, `${profile.name}:cpu`, cpus.length > 0 ? cpus : [0]));
}

/** The CPUs in a kernel list such as "0", "0-3", "0,2-3"; empty when it is not one. */
export function cpuList(text: string): number[] {
  const cpus: number[] = [];
  for (const part of text.trim().split(',')) {
    const range = /^(\d{1,4})(?:-(\d{1,4}))?$/.exec(part.trim());
    if (range?.[1] === undefined) return [];
    const first = Number(range[1]);
    const last = range[2] === undefined ? first : Number(range[2]);
    if (last < first || last - first > 4096) return [];
    for (let cpu = first; cpu <= last; cpu++) cpus.push(cpu);
  }
  return cpus;
}
