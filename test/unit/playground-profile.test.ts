// The playground's one gate to Docker: every field against its allowlist, every refusal a
// 400 that names the field, and the escape-prone options refused in a workshop.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../server/errors/app-error.ts';
import {
  parsePlaygroundProfile,
  type PlaygroundPolicy,
} from '../../server/playground/playground-profile.ts';
import { playgroundContainer, profileOf } from '../../server/playground/playground-container.ts';
import type { PlaygroundRequest } from '../../server/protocol/playground-types.ts';
import { HARDENED_NOBODY } from '../support/playground-request.ts';

const SOLO: PlaygroundPolicy = { mode: 'solo', seccompProfiles: ['nslab-no-chmod.json'] };
const WORKSHOP: PlaygroundPolicy = { ...SOLO, mode: 'workshop' };

const GOOD: PlaygroundRequest = { ...HARDENED_NOBODY, capAdd: ['NET_BIND_SERVICE'] };

/** The 400 a body gets, or a failure when it is accepted. */
function refusal(body: unknown, policy = SOLO): AppError {
  try {
    parsePlaygroundProfile(body, policy);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(body)}`);
}

function refusedField(body: unknown, policy = SOLO): string {
  const error = refusal(body, policy);
  expect(error.status).toBe(400);
  return /^Field "([^"]+)"/.exec(error.message)?.[1] ?? error.message;
}

describe('parsePlaygroundProfile', () => {
  it('accepts a vetted profile and returns exactly its fields', () => {
    expect(parsePlaygroundProfile(GOOD, SOLO)).toEqual(GOOD);
    expect(parsePlaygroundProfile({ ...GOOD, seccomp: 'nslab-no-chmod.json' }, SOLO).seccomp).toBe(
      'nslab-no-chmod.json',
    );
  });

  it('accepts every escape-prone option in solo mode', () => {
    const open = {
      ...GOOD,
      share: ['pid', 'net', 'ipc', 'uts'],
      capDrop: [],
      capAdd: ['SYS_ADMIN', 'SYS_PTRACE', 'NET_RAW'],
      seccomp: 'unconfined',
      user: 'root',
    };
    expect(parsePlaygroundProfile(open, SOLO).capAdd).toContain('SYS_ADMIN');
  });

  it('refuses what is no object', () => {
    for (const body of [null, [], 'x', 3]) expect(refusal(body).status).toBe(400);
  });

  it('refuses an unknown field, and the dangerous ones with why', () => {
    expect(refusedField({ ...GOOD, extra: 1 })).toBe('extra');
    for (const field of [
      'binds',
      'Binds',
      'image',
      'Image',
      'devices',
      'privileged',
      'mounts',
      'volumes',
      'cmd',
      'HostConfig',
      'securityOpt',
    ]) {
      expect(refusedField({ ...GOOD, [field]: field === 'privileged' ? true : ['/:/host'] })).toBe(
        field,
      );
    }
    expect(refusal({ ...GOOD, privileged: true }).message).toMatch(/never offered/);
    expect(refusal({ ...GOOD, binds: ['/:/host'] }).message).toMatch(/host path/);
    expect(refusal({ ...GOOD, image: 'alpine' }).message).toMatch(/image/);
  });

  it('refuses a missing field', () => {
    for (const key of Object.keys(GOOD)) {
      const body = Object.fromEntries(Object.entries(GOOD).filter(([k]) => k !== key));
      expect(refusedField(body)).toBe(key);
    }
  });

  it('refuses wrong types', () => {
    expect(refusedField({ ...GOOD, share: 'pid' })).toBe('share');
    expect(refusedField({ ...GOOD, capDrop: [1] })).toBe('capDrop');
    expect(refusedField({ ...GOOD, readOnly: 'true' })).toBe('readOnly');
    expect(refusedField({ ...GOOD, noNewPrivileges: 1 })).toBe('noNewPrivileges');
    expect(refusedField({ ...GOOD, memoryMb: '64' })).toBe('memoryMb');
    expect(refusedField({ ...GOOD, user: 0 })).toBe('user');
    expect(refusedField({ ...GOOD, seccomp: null })).toBe('seccomp');
  });

  it('refuses values off the allowlists', () => {
    expect(refusedField({ ...GOOD, share: ['user'] })).toBe('share');
    expect(refusedField({ ...GOOD, share: ['mnt'] })).toBe('share');
    expect(refusedField({ ...GOOD, capAdd: ['SYS_MODULE'] })).toBe('capAdd');
    expect(refusedField({ ...GOOD, capAdd: ['ALL'] })).toBe('capAdd');
    expect(refusedField({ ...GOOD, capDrop: ['SYS_ADMIN'] })).toBe('capDrop');
    expect(refusedField({ ...GOOD, user: '0:0' })).toBe('user');
    expect(refusedField({ ...GOOD, seccomp: '/etc/passwd' })).toBe('seccomp');
    expect(refusedField({ ...GOOD, seccomp: '{"defaultAction":"SCMP_ACT_ALLOW"}' })).toBe(
      'seccomp',
    );
  });

  it('refuses repeated and contradictory entries, and oversized lists', () => {
    expect(refusedField({ ...GOOD, share: ['pid', 'pid'] })).toBe('share');
    expect(refusedField({ ...GOOD, capDrop: ['ALL', 'CHOWN'] })).toBe('capDrop');
    expect(refusedField({ ...GOOD, capDrop: ['CHOWN'], capAdd: ['CHOWN'] })).toBe('capAdd');
    expect(refusedField({ ...GOOD, share: Array(1000).fill('pid') })).toBe('share');
  });

  it('refuses limits out of range, not finite or off their step', () => {
    expect(refusedField({ ...GOOD, memoryMb: 15 })).toBe('memoryMb');
    expect(refusedField({ ...GOOD, memoryMb: 257 })).toBe('memoryMb');
    expect(refusedField({ ...GOOD, memoryMb: 64.5 })).toBe('memoryMb');
    expect(refusedField({ ...GOOD, pidsLimit: 0 })).toBe('pidsLimit');
    expect(refusedField({ ...GOOD, pidsLimit: -1 })).toBe('pidsLimit');
    expect(refusedField({ ...GOOD, pidsLimit: 513 })).toBe('pidsLimit');
    expect(refusedField({ ...GOOD, cpus: 0 })).toBe('cpus');
    expect(refusedField({ ...GOOD, cpus: 2 })).toBe('cpus');
    expect(refusedField({ ...GOOD, cpus: 0.33 })).toBe('cpus');
    // JSON cannot carry NaN or Infinity, but a caller in-process could.
    expect(refusedField({ ...GOOD, cpus: Number.NaN })).toBe('cpus');
    expect(refusedField({ ...GOOD, memoryMb: Number.POSITIVE_INFINITY })).toBe('memoryMb');
  });

  it('refuses the escape-prone options in a workshop, saying why', () => {
    expect(parsePlaygroundProfile({ ...GOOD, share: ['uts'] }, WORKSHOP).share).toEqual(['uts']);
    for (const ns of ['pid', 'net', 'ipc']) {
      const error = refusal({ ...GOOD, share: [ns] }, WORKSHOP);
      expect(error.message).toMatch(/^Field "share".*solo mode/);
    }
    for (const cap of ['SYS_ADMIN', 'SYS_PTRACE'])
      expect(refusedField({ ...GOOD, capAdd: [cap] }, WORKSHOP)).toBe('capAdd');
    expect(refusal({ ...GOOD, seccomp: 'unconfined' }, WORKSHOP).message).toMatch(
      /^Field "seccomp".*solo mode/,
    );
  });
});

describe('playgroundContainer', () => {
  it('turns a vetted profile into a lab container with no network unless the host’s', () => {
    const base = { name: 'playground', title: 'playground', hostname: 'playground' };
    const profile = parsePlaygroundProfile(GOOD, SOLO);
    const container = playgroundContainer(base, profile, []);
    expect(container).toMatchObject({
      networkMode: 'none',
      ipcMode: 'private',
      user: '65534:65534',
      capDrop: ['ALL'],
      readonlyRootfs: true,
      securityOpt: ['no-new-privileges'],
      memoryMb: 64,
    });
    expect(container.tmpfs).toHaveProperty('/tmp');
    expect(profileOf(container)).toEqual(profile);
    const open = playgroundContainer(
      base,
      { ...profile, share: ['pid', 'net', 'ipc', 'uts'], seccomp: 'unconfined' },
      [],
    );
    expect(open).toMatchObject({
      pidMode: 'host',
      networkMode: 'host',
      ipcMode: 'host',
      utsMode: 'host',
    });
    expect(open.securityOpt).toContain('seccomp=unconfined');
  });
});
