// The sandboxed-runtime lab without an engine: when it is offered, what the server creates
// and shows, the markers, `runsc ps`'s table, and both checks on every kind of evidence.
import { describe, expect, it } from 'vitest';
import { labs } from '../../labs/index.ts';
import { markerOf, MARKER_FILES } from '../../labs/sandboxed-runtime/markers.ts';
import { sandboxedRuntimeLab } from '../../labs/sandboxed-runtime/sandboxed-runtime-lab.ts';
import type { CheckContext, ContainerEvidence, HostProcess } from '../../server/lab-kit.ts';
import type { SandboxProcess } from '../../server/checks/sandbox-view.ts';
import { parseRunscPs } from '../../server/checks/sandbox-view.ts';
import { validateLab } from '../../server/catalogue/validate-lab.ts';
import { lessonConditions } from '../../server/host/host-facts.ts';
import { containerCreateOptions } from '../../server/plans/create-options.ts';
import { dockerRunCommand } from '../../server/plans/docker-run-command.ts';
import { planContainer } from '../../server/plans/container-plan.ts';
import { riskLines } from '../../server/inspector/risk-lines.ts';
import { CONTENT_DIR, goodLab } from './support/catalogue-fixtures.ts';
import { fakeCheckContext, TEST_FACTS } from './support/fake-check-context.ts';

const RUNSC = { path: '/usr/bin/runsc', args: ['--network=none'] };
const TOKEN = '0123456789abcdef';

function proc(pid: number, name: string, cmdline = name): HostProcess {
  return { pid, cmdline, status: { Name: name, Seccomp: '2', NoNewPrivs: '1' } };
}

interface World {
  runc?: HostProcess[];
  gvisorHost?: HostProcess[];
  sandbox?: SandboxProcess[];
  /** Every host process, for processesCarrying. */
  host?: HostProcess[];
  runtime?: string;
}

function world(w: World): CheckContext {
  const { ctx } = fakeCheckContext({});
  const container = (name: string): ContainerEvidence => ({
    ...ctx.container(name),
    inspect: () =>
      Promise.resolve({
        HostConfig: { Runtime: name === 'gvisor' ? (w.runtime ?? 'runsc') : 'runc' },
      } as never),
    processes: () => Promise.resolve((name === 'runc' ? w.runc : w.gvisorHost) ?? []),
    sandboxProcesses: () => Promise.resolve(w.sandbox ?? []),
  });
  const carrying = (text: string): Promise<HostProcess[]> =>
    Promise.resolve(
      (w.host ?? []).filter((p) => p.cmdline.includes(text) || p.status.Name?.includes(text)),
    );
  return {
    ...ctx,
    sessionToken: TOKEN,
    container,
    host: { ...ctx.host, processesCarrying: carrying },
  };
}

function check(id: string, ctx: CheckContext) {
  const exercise = sandboxedRuntimeLab.exercises.find((e) => e.id === id);
  if (exercise === undefined) throw new Error(`no exercise ${id}`);
  return exercise.check(ctx, undefined);
}

describe('sandboxed-runtime lab', () => {
  it('is offered only where the engine has a runtime named runsc, and says why not', () => {
    expect(sandboxedRuntimeLab.unavailable?.(TEST_FACTS)?.en).toMatch(/no runtime named runsc/);
    expect(sandboxedRuntimeLab.unavailable?.(TEST_FACTS)?.zh).toMatch(/runsc/);
    expect(sandboxedRuntimeLab.unavailable?.({ ...TEST_FACTS, runsc: RUNSC })).toBeUndefined();
    expect(labs.at(-1)?.id).toBe('sandboxed-runtime');
    expect(validateLab(sandboxedRuntimeLab, CONTENT_DIR)).toEqual([]);
  });

  it('shows the lesson the runsc block that fits the engine', () => {
    expect(lessonConditions({ ...TEST_FACTS, runsc: RUNSC })).toContain('runsc-no-network');
    const open = lessonConditions({ ...TEST_FACTS, runsc: { ...RUNSC, args: [] } });
    expect(open).toContain('runsc-network');
    expect(lessonConditions(TEST_FACTS)).not.toContain('runsc-network');
  });

  it('refuses runsc with a network, on the second engine, or in a lab that cannot say it is missing', () => {
    const box = { name: 'box', title: 'box', runtime: 'runsc' as const };
    const ok = goodLab({ unavailable: () => undefined, containers: [box] });
    expect(validateLab(ok, CONTENT_DIR)).toEqual([]);
    const bad = goodLab({ containers: [{ ...box, networkMode: 'bridge', engine: 'userns' }] });
    const problems = validateLab(bad, CONTENT_DIR).join('\n');
    expect(problems).toMatch(/must have no network/);
    expect(problems).toMatch(/must run on the main engine/);
    expect(problems).toMatch(/must say when the engine has none/);
  });

  it('creates the two containers alike but for --runtime=runsc', () => {
    const plans = sandboxedRuntimeLab.containers.map((profile) =>
      planContainer({
        profile,
        image: 'nslab/lab:test',
        instance: 'ci',
        sessionId: 'AAAAAAAAAAAAAAAAAAAAAA',
        sessionToken: TOKEN,
        hostFacts: { dataDisk: undefined },
        sessionDir: '/var/lib/nslab/ci/sessions/test',
        labId: 'sandboxed-runtime',
      }),
    );
    const [runc, gvisor] = plans.map((p) => containerCreateOptions(p).HostConfig ?? {});
    expect(runc?.Runtime).toBeUndefined();
    expect(gvisor?.Runtime).toBe('runsc');
    for (const host of [runc, gvisor]) {
      expect(host).toMatchObject({ NetworkMode: 'none', ReadonlyRootfs: true, CapDrop: ['ALL'] });
      expect(host?.SecurityOpt).toContain('no-new-privileges');
    }
    const [runcCommand, gvisorCommand] = plans.map(dockerRunCommand);
    expect(gvisorCommand).toContain('--runtime=runsc');
    expect(runcCommand).not.toContain('--runtime');
  });

  it('plants a marker per container that fits a process name, never the same twice', () => {
    expect(markerOf('runc', TOKEN)).toBe('r0123456789abcd');
    expect(markerOf('gvisor', TOKEN)).toHaveLength(15);
    expect(markerOf('gvisor', TOKEN)).not.toBe(markerOf('runc', TOKEN));
    const contents = MARKER_FILES.flatMap((f) => ('content' in f ? [f.content] : []));
    expect(contents).toEqual(['r{{token}}\n', 'g{{token}}\n']);
  });

  it("reads runsc ps's table, a name with spaces included", () => {
    const table = `UID       PID       PPID      C         TTY       STIME     TIME      CMD
0         1         0         0         ?         13:52     10ms      docker-init
0         13        0         3         ?         13:53     210ms     g0123456789abcd
0         15        13        0         ?         13:54     0s        two words
`;
    expect(parseRunscPs(table)).toEqual([
      { pid: 1, ppid: 0, cmd: 'docker-init' },
      { pid: 13, ppid: 0, cmd: 'g0123456789abcd' },
      { pid: 15, ppid: 13, cmd: 'two words' },
    ]);
  });

  it('passes the runc exercise only for a host process of the runc container', async () => {
    const r = markerOf('runc', TOKEN);
    expect((await check('host-process', world({ runc: [proc(7, 'bash')] }))).passed).toBe(false);
    // The gVisor sandbox running a process of that name is not the runc container's.
    const elsewhere = world({ runc: [], sandbox: [{ pid: 3, ppid: 1, cmd: r }] });
    expect((await check('host-process', elsewhere)).passed).toBe(false);
    const named = await check('host-process', world({ runc: [proc(4242, r, `/tmp/r${TOKEN}`)] }));
    expect(named).toMatchObject({ passed: true });
    expect(named.reason.en).toMatch(/host PID 4242/);
  });

  it('passes the gVisor exercise only when the Sentry runs it and no host process does', async () => {
    const g = markerOf('gvisor', TOKEN);
    const sentry = [proc(900, 'runsc-sandbox', 'runsc-sandbox --root=/x boot')];
    const inside = [{ pid: 13, ppid: 0, cmd: g }];
    expect((await check('sandbox-process', world({ sandbox: [] }))).passed).toBe(false);
    // The same name started in the runc container: a host process, so not the sandbox's.
    const onHost = world({ sandbox: inside, host: [proc(555, g)], gvisorHost: sentry });
    expect(await check('sandbox-process', onHost)).toMatchObject({ passed: false, hint: 1 });
    // A container that is not under runsc at all.
    const runc = world({ sandbox: inside, runtime: 'runc' });
    expect((await check('sandbox-process', runc)).passed).toBe(false);
    const honest = await check('sandbox-process', world({ sandbox: inside, gvisorHost: sentry }));
    expect(honest).toMatchObject({ passed: true });
    expect(honest.reason.en).toMatch(/PID 13 of the sandbox.*runsc-sandbox \(PID 900, Seccomp 2\)/);
  });

  it("tells the inspector's reader that a gVisor container's rows are the Sentry's, not the shell's", () => {
    const hostPid = {
      kind: 'pid' as const,
      container: 'pid:[1]',
      host: 'pid:[1]',
      dockerDefault: false,
      sharing: 'host' as const,
    };
    const parts = { namespaces: [hostPid], capabilities: null, security: null, cgroup: null };
    expect(riskLines(parts, false).map((r) => r.setting.en)).toContain(
      'pid namespace shared with the host',
    );
    const sandboxed = riskLines({ ...parts, sandboxed: true }, false);
    expect(sandboxed.map((r) => r.setting.en)).toEqual(['gVisor (--runtime=runsc)']);
    expect(sandboxed[0]?.why.zh).toMatch(/Sentry/);
  });
});
