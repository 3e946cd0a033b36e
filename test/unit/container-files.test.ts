// The container-file reader resolves a learner's symlinks inside the container's root and
// never lets the kernel follow one: here the "container root" is a temporary directory, and
// a secret beside it plays the host's file that a planted symlink aims at.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readInRoot,
  resolveInRoot,
  statInRoot,
  walkInRoot,
} from '../../server/checks/container-files.ts';

let base: string;
let root: string;

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'nslab-root-'));
  root = path.join(base, 'root');
  await mkdir(path.join(root, 'srv/sub'), { recursive: true });
  await mkdir(path.join(root, 'etc'));
  await mkdir(path.join(root, 'tmp'));
  await writeFile(path.join(base, 'host-secret'), 'HOST SECRET\n');
  await writeFile(path.join(root, 'etc/host-secret'), 'container copy\n');
  await writeFile(path.join(root, 'srv/report.txt'), 'report\n', { mode: 0o600 });
  await writeFile(path.join(root, 'tmp/run'), '#!/bin/sh\n', { mode: 0o755 });
  // Absolute and climbing symlinks, as a learner would plant them to reach the host.
  await symlink(path.join(base, 'host-secret'), path.join(root, 'srv/absolute'));
  await symlink('../../../host-secret', path.join(root, 'srv/climb'));
  await symlink('/etc', path.join(root, 'srv/etc-dir'));
  await symlink(base, path.join(root, 'srv/host-dir'));
  await symlink('loop-b', path.join(root, 'srv/loop-a'));
  await symlink('loop-a', path.join(root, 'srv/loop-b'));
  await symlink('/srv/report.txt', path.join(root, 'tmp/link'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('resolveInRoot', () => {
  it('resolves a symlinked directory inside the root, even when it names a host path', async () => {
    // /srv/host-dir -> <base> (a host path): inside the root that path does not exist.
    expect(await resolveInRoot(root, '/srv/host-dir/host-secret')).toBeUndefined();
    // /srv/etc-dir -> /etc is the container's /etc, not the host's.
    expect(await readInRoot(root, '/srv/etc-dir/host-secret')).toBe('container copy\n');
  });

  it('clamps .. at the root', async () => {
    expect(await readInRoot(root, '/../../etc/host-secret')).toBe('container copy\n');
    expect(await readInRoot(root, '/srv/sub/../../../etc/host-secret')).toBe('container copy\n');
  });

  it('follows a last symlink inside the root to read, and stats the link itself', async () => {
    expect(await readInRoot(root, '/srv/absolute')).toBeUndefined();
    expect(await readInRoot(root, '/srv/climb')).toBeUndefined();
    expect(await readInRoot(root, '/tmp/link')).toBe('report\n');
    expect((await statInRoot(root, '/srv/absolute'))?.type).toBe('symlink');
    expect((await statInRoot(root, '/tmp/link'))?.type).toBe('symlink');
  });

  it('follows a climbing symlink in a directory position only as far as the root', async () => {
    await symlink('../../..', path.join(root, 'srv/up'));
    expect(await readInRoot(root, '/srv/up/host-secret')).toBeUndefined();
    expect(await readInRoot(root, '/srv/up/etc/host-secret')).toBe('container copy\n');
  });

  it('gives up on a symlink loop', async () => {
    await expect(resolveInRoot(root, '/srv/loop-a/x')).rejects.toThrow(/too many symlinks/);
  });

  it('reads owner, mode and type with lstat', async () => {
    const report = await statInRoot(root, '/srv/report.txt');
    expect(report).toMatchObject({
      path: '/srv/report.txt',
      type: 'file',
      mode: 0o600,
      uid: process.getuid?.(),
    });
    expect(await statInRoot(root, '/srv/missing')).toBeUndefined();
    expect(await statInRoot(root, '/srv/report.txt/below')).toBeUndefined();
  });
});

describe('walkInRoot', () => {
  it('lists entries without following symlinks', async () => {
    const all = await walkInRoot(root, '/tmp');
    expect(all.map((f) => [f.path, f.type]).sort()).toEqual([
      ['/tmp/link', 'symlink'],
      ['/tmp/run', 'file'],
    ]);
    const files = await walkInRoot(root, '/', { types: ['file'] });
    expect(files.map((f) => f.path).sort()).toEqual([
      '/etc/host-secret',
      '/srv/report.txt',
      '/tmp/run',
    ]);
    expect(files.find((f) => f.path === '/tmp/run')?.mode).toBe(0o755);
  });

  it('walks a symlinked start directory inside the root, and stops at its limit', async () => {
    expect((await walkInRoot(root, '/srv/etc-dir')).map((f) => f.path)).toEqual([
      '/etc/host-secret',
    ]);
    await expect(walkInRoot(root, '/', { limit: 3 })).rejects.toThrow(/more than 3 entries/);
  });
});

describe('a directory swapped for a symlink while the server reads', () => {
  it('never reads the host file the symlink names', async () => {
    const outside = path.join(base, 'outside');
    await mkdir(outside);
    await writeFile(path.join(outside, 'f'), 'HOST\n');
    const swap = path.join(root, 'swap');
    await mkdir(swap);
    await writeFile(path.join(swap, 'f'), 'inside\n');
    // Another process swaps /swap between a real directory and a symlink to the host's one.
    const racer = spawn('sh', [
      '-c',
      `cd ${root} && while :; do mv swap real && ln -s ${outside} swap && rm swap && mv real swap; done`,
    ]);
    try {
      const seen = new Set<string>();
      for (let i = 0; i < 2000; i += 1) seen.add((await readInRoot(root, '/swap/f')) ?? 'none');
      expect(seen.has('HOST\n')).toBe(false);
      expect(seen.has('inside\n')).toBe(true);
    } finally {
      racer.kill('SIGKILL');
    }
  });
});
