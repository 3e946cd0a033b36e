// A check context for the cgroup labs: containers answer inspect, cgroupFile and processes
// from plain values, on cgroup v1 or v2.
import type Dockerode from 'dockerode';
import type { CheckContext, HostProcess } from '../../../server/checks/check-context.ts';
import type { Exercise, LabDefinition } from '../../../server/catalogue/lab-definition.ts';
import { fakeCheckContext } from './fake-check-context.ts';

export const MIB = 1024 * 1024;

export interface CgroupBox {
  inspect: { HostConfig?: Record<string, unknown>; State?: Record<string, unknown> };
  /**
   * Keyed by the file name; a missing file rejects, as a vanished cgroup does. A list gives
   * successive reads (the last one repeats), for checks that sample a file over time.
   */
  files?: Record<string, string | string[]>;
  processes?: HostProcess[];
}

/** A check context whose containers answer inspect, cgroupFile and processes from plain values. */
export function cgroupContext(version: 1 | 2, boxes: Record<string, CgroupBox>): CheckContext {
  const { ctx } = fakeCheckContext({});
  return {
    ...ctx,
    host: {
      ...ctx.host,
      facts: { ...ctx.host.facts, cgroupVersion: version, dataDisk: '/dev/vda' },
    },
    container: (name) => {
      const box = boxes[name];
      if (box === undefined) throw new Error(`no container ${name}`);
      const reads = new Map<string, number>();
      return {
        ...ctx.container(name),
        inspect: () =>
          Promise.resolve({
            HostConfig: box.inspect.HostConfig ?? {},
            State: { Running: true, OOMKilled: false, ExitCode: 0, ...box.inspect.State },
          } as unknown as Dockerode.ContainerInspectInfo),
        cgroupFile: (_controller, file) => {
          const value = box.files?.[file];
          const n = reads.get(file) ?? 0;
          reads.set(file, n + 1);
          const text = typeof value === 'string' ? value : value?.[Math.min(n, value.length - 1)];
          return text === undefined
            ? Promise.reject(new Error(`no cgroup file ${file}`))
            : Promise.resolve(text);
        },
        processes: () => Promise.resolve(box.processes ?? []),
      };
    },
  };
}

export function exercise(lab: LabDefinition, id: string): Exercise {
  const found = lab.exercises.find((e) => e.id === id);
  if (found === undefined) throw new Error(`no exercise ${id}`);
  return found;
}
