// Vetting of dangerous settings: what only escape labs may ask for, and how.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LabDefinition } from '../../server/catalogue/lab-definition.ts';
import { validateLab } from '../../server/catalogue/validate-lab.ts';
import { t } from '../../labs/shared/localized.ts';

const CONTENT_DIR = path.resolve(import.meta.dirname, '../../content');

function lab(overrides: Partial<LabDefinition>): LabDefinition {
  return {
    id: 'test-lab',
    title: 'Test',
    topic: 'escapes',
    summary: 'A lab for vetting.',
    minutes: 5,
    learned: ['What this lab leaves the learner with.'],
    lesson: 'uts.md',
    containers: [{ name: 'box', title: 'box' }],
    exercises: [
      {
        id: 'ex',
        title: 'Exercise',
        goal: 'Do it.',
        hints: ['think'],
        check: () => Promise.resolve({ passed: true, reason: t('ok', 'ok') }),
        solution: [{ terminal: 'box', input: 'true' }],
      },
    ],
    ...overrides,
  };
}

describe('vetting of dangerous settings', () => {
  const problems = (overrides: Partial<LabDefinition>): string[] =>
    validateLab(lab(overrides), CONTENT_DIR);

  it.each(['SYS_ADMIN', 'SYS_PTRACE', 'ALL'] as const)('refuses %s outside escape labs', (cap) => {
    const found = problems({ containers: [{ name: 'box', title: 'box', capAdd: [cap] }] });
    expect(found).toContainEqual(expect.stringContaining('only an escape lab may'));
    expect(
      problems({ escape: true, containers: [{ name: 'box', title: 'box', capAdd: [cap] }] }),
    ).toEqual([]);
  });

  it('lets a container made for one exercise add SYS_ADMIN (alone) and drop AppArmor beside it', () => {
    const made = {
      name: 'm',
      title: 'm',
      onlyFor: 'ex',
      capAdd: ['SYS_ADMIN' as const],
      securityOpt: ['apparmor=unconfined' as const],
    };
    expect(
      problems({ topic: 'least privilege', containers: [{ name: 'box', title: 'box' }, made] }),
    ).toEqual([]);
    expect(
      problems({
        containers: [
          { name: 'box', title: 'box' },
          { ...made, capAdd: ['SYS_ADMIN', 'SYS_PTRACE'] },
        ],
      }),
    ).toContainEqual(expect.stringContaining('adds SYS_PTRACE'));
    expect(
      problems({
        containers: [
          { name: 'box', title: 'box' },
          { ...made, networkMode: 'bridge' },
        ],
      }),
    ).toContainEqual(expect.stringContaining('adds SYS_ADMIN'));
    expect(
      problems({
        containers: [
          { name: 'box', title: 'box' },
          { ...made, onlyFor: 'nope' },
        ],
      }),
    ).toContainEqual(expect.stringContaining('unknown exercise "nope"'));
    // Another exercise may not type into it: where that one is unavailable, it does not exist.
    const other = {
      id: 'ex2',
      title: 'Other',
      goal: 'Do it.',
      hints: ['think'],
      check: () => Promise.resolve({ passed: true as const, reason: t('ok', 'ok') }),
      solution: [{ terminal: 'm', input: 'true' }],
    };
    const base = lab({});
    expect(
      problems({
        containers: [{ name: 'box', title: 'box' }, made],
        exercises: [...base.exercises, other],
      }),
    ).toContainEqual(expect.stringContaining('which is made only for "ex"'));
  });

  it('refuses --pid=host or apparmor=unconfined with added capabilities outside escape labs', () => {
    expect(
      problems({ containers: [{ name: 'box', title: 'box', pidMode: 'host', capAdd: ['CHOWN'] }] }),
    ).toContainEqual(expect.stringContaining('--pid=host'));
    expect(
      problems({
        containers: [
          { name: 'box', title: 'box', securityOpt: ['apparmor=unconfined'], capAdd: ['CHOWN'] },
        ],
      }),
    ).toContainEqual(expect.stringContaining('apparmor=unconfined'));
    // Either alone is what the pid and lsm labs use.
    expect(problems({ containers: [{ name: 'box', title: 'box', pidMode: 'host' }] })).toEqual([]);
  });

  it('refuses an engine socket or a session engine outside escape labs', () => {
    expect(problems({ sessionEngines: [{ name: 'engine' }] })).toContainEqual(
      expect.stringContaining('session engine'),
    );
    expect(
      problems({
        containers: [{ name: 'box', title: 'box', sessionEngineSocket: '/var/run/docker.sock' }],
      }),
    ).toContainEqual(expect.stringContaining('engine socket'));
  });

  it('requires the session engine for its socket, and an absolute target', () => {
    expect(
      problems({
        escape: true,
        containers: [{ name: 'box', title: 'box', sessionEngineSocket: '/var/run/docker.sock' }],
      }),
    ).toContainEqual(expect.stringContaining('starts no engine named "engine"'));
    expect(
      problems({
        escape: true,
        sessionEngines: [{ name: 'engine' }],
        containers: [{ name: 'box', title: 'box', sessionEngineSocket: 'docker.sock' }],
      }),
    ).toContainEqual(expect.stringContaining('absolute path'));
  });

  it('passes a disk only in escape labs that make one', () => {
    const box = { name: 'box', title: 'box', hostDisk: '/dev/hostdisk' };
    const disk = { sizeMb: 16, files: [] };
    expect(problems({ containers: [box] })).toContainEqual(expect.stringContaining('disk device'));
    expect(problems({ hostDisk: disk })).toContainEqual(expect.stringContaining('make a disk'));
    expect(problems({ escape: true, containers: [box] })).toContainEqual(
      expect.stringContaining('makes none'),
    );
    expect(problems({ escape: true, hostDisk: disk, containers: [box] })).toEqual([]);
    expect(
      problems({ escape: true, hostDisk: disk, containers: [{ ...box, hostDisk: '/dev/../x' }] }),
    ).toContainEqual(expect.stringContaining('under /dev'));
    expect(problems({ escape: true, hostDisk: { sizeMb: 4096, files: [] } })).toContainEqual(
      expect.stringContaining('8..64 MiB'),
    );
  });

  it("keeps escape containers off every network but the lab's internal ones, on the main engine", () => {
    for (const networkMode of ['bridge', 'host', { network: 'not-the-labs' }] as const) {
      expect(
        problems({ escape: true, containers: [{ name: 'box', title: 'box', networkMode }] }),
      ).toContainEqual(expect.stringContaining("only the lab's internal networks"));
    }
    expect(
      problems({
        escape: true,
        networks: [{ name: 'lab-net' }],
        containers: [{ name: 'box', title: 'box', networkMode: { network: 'lab-net' } }],
      }),
    ).toEqual([]);
    expect(
      problems({ escape: true, containers: [{ name: 'box', title: 'box', engine: 'userns' }] }),
    ).toContainEqual(expect.stringContaining('main engine'));
  });

  it('vets session engines: unique names, TCP only from a terminal-less helper on a lab network', () => {
    const helper = {
      name: 'daemon',
      title: 'daemon',
      terminal: false,
      networkMode: { network: 'lab-net' },
    } as const;
    const attacker = { name: 'box', title: 'box', networkMode: { network: 'lab-net' } };
    const base = {
      escape: true,
      networks: [{ name: 'lab-net' }],
      containers: [attacker, helper],
    };
    const listen = { container: 'daemon', port: 2375, tls: false };
    expect(problems({ ...base, sessionEngines: [{ name: 'tcp', listen }] })).toEqual([]);
    expect(
      problems({ ...base, sessionEngines: [{ name: 'tcp' }, { name: 'tcp' }] }),
    ).toContainEqual(expect.stringContaining('repeated'));
    expect(
      problems({
        ...base,
        sessionEngines: [{ name: 'tcp', listen: { ...listen, container: 'x' } }],
      }),
    ).toContainEqual(expect.stringContaining('does not have'));
    expect(
      problems({ ...base, sessionEngines: [{ name: 'tcp', listen: { ...listen, port: 80 } }] }),
    ).toContainEqual(expect.stringContaining('1024..65535'));
    expect(
      problems({
        ...base,
        containers: [attacker, { ...helper, terminal: true }],
        sessionEngines: [{ name: 'tcp', listen }],
      }),
    ).toContainEqual(expect.stringContaining('terminal-less'));
  });

  it('vets an engine on a lab network: joins only a terminal-less helper there, plain HTTP only to host:port', () => {
    const helper = {
      name: 'docker-host',
      title: 'docker-host',
      terminal: false,
      networkMode: { network: 'lab-net' },
    } as const;
    const cli = { name: 'box', title: 'cli', networkMode: { network: 'lab-net' } };
    const base = { escape: true, networks: [{ name: 'lab-net' }], containers: [cli, helper] };
    const joins = { container: 'docker-host' };
    const engine = { name: 'engine', joins, insecureRegistries: ['registry:5000'] };
    expect(problems({ ...base, sessionEngines: [engine] })).toEqual([]);
    expect(
      problems({ ...base, sessionEngines: [{ ...engine, joins: { container: 'box' } }] }),
    ).toContainEqual(expect.stringContaining('terminal-less'));
    expect(
      problems({
        ...base,
        containers: [cli, { ...helper, networkMode: 'none' }],
        sessionEngines: [engine],
      }),
    ).toContainEqual(expect.stringContaining('on a lab network'));
    expect(
      problems({
        ...base,
        sessionEngines: [
          { ...engine, listen: { container: 'docker-host', port: 2375, tls: true } },
        ],
      }),
    ).toContainEqual(expect.stringContaining('cannot both'));
    for (const registry of ['registry', '0.0.0.0/0', 'registry:5000 --debug', 'Registry:5000'])
      expect(
        problems({ ...base, sessionEngines: [{ ...engine, insecureRegistries: [registry] }] }),
      ).toContainEqual(expect.stringContaining('must be host:port'));
    // Outside an escape lab, no engine at all.
    expect(problems({ ...base, escape: false, sessionEngines: [engine] })).toContainEqual(
      expect.stringContaining('only an escape lab may start a session engine'),
    );
  });
});
