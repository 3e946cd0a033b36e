// The setuid, seccomp and readonly-devices labs: the parsers and rules their checks rely on.
import { describe, expect, it } from 'vitest';
import {
  DOCKER_DEFAULT_RULES,
  deviceListAllowsRead,
  deviceNode,
} from '../../labs/readonly-devices/device-nodes.ts';
import {
  PROFILE_JSON,
  refusedSyscalls,
  seccompLab,
  syscallName,
} from '../../labs/seccomp/seccomp-lab.ts';
import { matchesLabel } from '../../labs/lsm/lsm-lab.ts';
import { effectiveUid, HELPER_DIR, helperPath } from '../../labs/setuid/setuid-lab.ts';

describe('setuid lab', () => {
  it('names the helper per session, inside the vendor directory', () => {
    const a = helperPath('token-a');
    expect(a).toMatch(new RegExp(`^${HELPER_DIR}/logtee-[0-9a-f]{6}$`));
    expect(helperPath('token-a')).toBe(a);
    expect(helperPath('token-b')).not.toBe(a);
  });

  it('reads the effective uid from a status Uid field', () => {
    expect(effectiveUid({ Uid: '65534\t0\t0\t0' })).toBe(0);
    expect(effectiveUid({ Uid: '65534\t65534\t65534\t65534' })).toBe(65534);
    expect(effectiveUid({})).toBeUndefined();
  });
});

describe('seccomp lab', () => {
  it('ships a profile that denies the chmod family and allows the rest', () => {
    const profile = JSON.parse(PROFILE_JSON) as {
      defaultAction: string;
      syscalls: { names: string[]; action: string }[];
    };
    expect(profile.defaultAction).toBe('SCMP_ACT_ALLOW');
    expect(profile.syscalls[0]?.names).toContain('fchmodat');
    expect(profile.syscalls[0]?.action).toBe('SCMP_ACT_ERRNO');
    const box = seccompLab.containers.find((c) => c.name === 'no-chmod');
    expect(box?.seccompProfile?.json).toBe(PROFILE_JSON);
  });

  it('finds the calls strace saw refused, with or without a pid column', () => {
    const out = [
      'fchmodat(AT_FDCWD, "/", 0755)           = -1 EPERM (Operation not permitted)',
      '10    chmod("/x", 0644) = -1 EPERM (Operation not permitted)',
      'openat(AT_FDCWD, "/etc", O_RDONLY) = 3',
      '+++ exited with 1 +++',
    ].join('\n');
    expect(refusedSyscalls(out).sort()).toEqual(['chmod', 'fchmodat']);
    expect(refusedSyscalls('')).toEqual([]);
  });

  it.each(['fchmodat', ' FCHMODAT ', 'fchmodat()', 'fchmodat(2)'])('reads %j as fchmodat', (a) => {
    expect(syscallName(a)).toBe('fchmodat');
  });
});

describe('readonly-devices lab', () => {
  const list = ['b *:* m', 'c *:* m', 'c 1:3 rwm', 'c 1:5 rwm', 'c 136:* rwm', 'c 10:200 rwm'].join(
    '\n',
  );

  it('allows reading only what a rule with r names', () => {
    expect(deviceListAllowsRead(list, { type: 'c', major: 1, minor: 5 })).toBe(true);
    expect(deviceListAllowsRead(list, { type: 'c', major: 136, minor: 7 })).toBe(true);
    expect(deviceListAllowsRead(list, { type: 'c', major: 1, minor: 1 })).toBe(false);
    expect(deviceListAllowsRead(list, { type: 'b', major: 7, minor: 0 })).toBe(false);
    expect(deviceListAllowsRead('a *:* rwm', { type: 'b', major: 7, minor: 0 })).toBe(true);
  });

  it('turns the host lstat of a device node into devices.list terms', () => {
    const base = { mode: 0o644, uid: 0, gid: 0, size: 0, blocks: 0, dev: 1 };
    expect(
      deviceNode({ ...base, path: '/root/mem', type: 'char', device: { major: 1, minor: 1 } }),
    ).toEqual({ path: '/root/mem', type: 'c', major: 1, minor: 1 });
    expect(
      deviceNode({ ...base, path: '/root/disk', type: 'block', device: { major: 7, minor: 3 } }),
    ).toMatchObject({ type: 'b', major: 7 });
    expect(deviceNode({ ...base, path: '/root/mem', type: 'file' })).toBeUndefined();
    expect(deviceNode({ ...base, path: '/root/zero', type: 'symlink' })).toBeUndefined();
  });

  it("knows Docker's default rules: zero opens, mem does not", () => {
    expect(deviceListAllowsRead(DOCKER_DEFAULT_RULES, { type: 'c', major: 1, minor: 5 })).toBe(
      true,
    );
    expect(deviceListAllowsRead(DOCKER_DEFAULT_RULES, { type: 'c', major: 1, minor: 1 })).toBe(
      false,
    );
  });
});

describe('lsm lab', () => {
  it.each(['none', 'None', 'cat: /proc/self/attr/current: Invalid argument', 'invalid argument'])(
    'reads %j as "no label" where the host reads none',
    (answer) => {
      expect(matchesLabel(answer, undefined)).toBe(true);
    },
  );

  it('refuses a label where the host reads none, and none where it reads one', () => {
    expect(matchesLabel('unconfined', undefined)).toBe(false);
    expect(matchesLabel('docker-default (enforce)', undefined)).toBe(false);
    expect(matchesLabel('none', 'docker-default (enforce)')).toBe(false);
  });

  it('accepts the AppArmor label with or without its mode', () => {
    expect(matchesLabel('docker-default (enforce)', 'docker-default (enforce)')).toBe(true);
    expect(matchesLabel('docker-default', 'docker-default (enforce)')).toBe(true);
    expect(matchesLabel('unconfined', 'unconfined')).toBe(true);
    expect(matchesLabel('unconfined', 'docker-default (enforce)')).toBe(false);
  });
});
