// A check's evidence comes from the host's own programs and the kernel's files, never from a
// program in the learner's container (issue 11): no lab may call probe(), and the host tools
// a check runs enter one namespace of a container's process, never its mount namespace.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inNamespace, netSysctl } from '../../server/checks/namespace-view.ts';

const LABS = path.resolve(import.meta.dirname, '../../labs');

function labSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return labSources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('host-side evidence', () => {
  it('no lab runs a program in a container for a verdict', () => {
    const probing = labSources(LABS)
      .filter((file) => /\.probe\(|tamperedProbeTool/.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(LABS, file));
    expect(probing).toEqual([]);
  });

  it('enters no namespace of PID 1 or of something that is not a process id', async () => {
    await expect(inNamespace(1, 'ipc', ['cat', '/proc/sysvipc/shm'])).rejects.toThrow(
      /not a container process/,
    );
    await expect(inNamespace(Number.NaN, 'net', ['ip', '-o', 'link'])).rejects.toThrow(
      /not a container process/,
    );
  });

  it('reads only sysctls under /proc/sys/net', () => {
    expect(() => netSysctl(4242, '../kernel/hostname')).toThrow(/not a net sysctl/);
    expect(() => netSysctl(4242, 'ipv4/../../kernel/core_pattern')).toThrow(/not a net sysctl/);
    expect(() => netSysctl(4242, 'ipv4')).toThrow(/not a net sysctl/);
  });
});
