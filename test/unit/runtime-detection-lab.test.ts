// The runtime-detection lab's per-session plant and the way its checks read host processes:
// disguises and PID gaps differ between sessions, the planted process is told apart by its
// exe and its user namespace, a decoy by its program and command line.
import { describe, expect, it } from 'vitest';
import {
  DECOYS,
  DISGUISES,
  innerPid,
  isDecoy,
  isPlanted,
  namespaceInode,
  ownNamespaces,
  plantedValue,
} from '../../labs/runtime-detection/planted-process.ts';
import type { HostProcess } from '../../server/lab-kit.ts';

const HOST_USER = 'user:[4026531837]';

function proc(over: Partial<HostProcess>): HostProcess {
  return {
    pid: 4242,
    cmdline: 'sleep infinity',
    status: { NSpid: '4242\t7' },
    exe: '/usr/bin/sleep',
    namespaces: { user: HOST_USER, uts: 'uts:[4026532312]' },
    ...over,
  };
}

describe('runtime-detection lab', () => {
  it('gives each session its own disguise, order and PID gaps', () => {
    const values = Array.from({ length: 40 }, (_, i) => plantedValue(`token-${i}`));
    expect(new Set(values.map((v) => v.argv0)).size).toBe(DISGUISES.length);
    expect(new Set(values.map((v) => v.position)).size).toBe(DECOYS.length + 1);
    expect(new Set(values.map((v) => v.gaps.join(','))).size).toBe(40);
    for (const v of values) for (const gap of v.gaps) expect(gap).toBeGreaterThanOrEqual(5);
  });

  it('reads the PID the monitor sees from the last NSpid field', () => {
    expect(innerPid(proc({}))).toBe(7);
    expect(innerPid(proc({ status: { NSpid: '99' } }))).toBe(99);
    expect(innerPid(proc({ status: {} }))).toBeUndefined();
  });

  it('tells the planted process by its exe or its own user namespace, never by its name', () => {
    const disguised = proc({ cmdline: DECOYS[0]?.cmdline, exe: '/memfd:x (deleted)' });
    expect(isPlanted(disguised, HOST_USER)).toBe(true);
    expect(isPlanted(proc({ exe: '/tmp/.x (deleted)' }), HOST_USER)).toBe(true);
    const ownNs = proc({ namespaces: { user: 'user:[4026532999]' } });
    expect(isPlanted(ownNs, HOST_USER)).toBe(true);
    expect(isPlanted(proc({}), HOST_USER)).toBe(false);
    // A zombie has neither exe nor namespace links: nothing to judge.
    expect(isPlanted(proc({ exe: undefined, namespaces: {} }), HOST_USER)).toBe(false);
  });

  it('counts a decoy only as set-up started it', () => {
    const decoy = DECOYS[1];
    if (decoy === undefined) throw new Error('no decoy');
    const real = proc({ exe: decoy.exe, cmdline: decoy.cmdline });
    expect(isDecoy(real, decoy, HOST_USER)).toBe(true);
    expect(isDecoy({ ...real, exe: '/memfd:x (deleted)' }, decoy, HOST_USER)).toBe(false);
    expect(isDecoy({ ...real, cmdline: 'tail -F /etc/passwd' }, decoy, HOST_USER)).toBe(false);
  });

  it('names the namespaces a process does not share with the workload', () => {
    const odd = proc({ namespaces: { user: 'user:[4026532999]', uts: 'uts:[4026532312]' } });
    expect(ownNamespaces(odd, { user: HOST_USER, uts: 'uts:[4026532312]' })).toEqual([
      '4026532999',
    ]);
    expect(namespaceInode('user:[4026532999]')).toBe('4026532999');
    expect(namespaceInode(' 4026532999 ')).toBe('4026532999');
    expect(namespaceInode('user:4026532999]x')).toBeUndefined();
  });
});
