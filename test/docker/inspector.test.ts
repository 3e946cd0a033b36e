// The isolation inspector against the real engine: for several labs' profiles, its figures
// equal the engine's (docker inspect) and the kernel's (the test reads /proc and the cgroup
// files itself). Also: another learner gets 404, and the stream stops reading when closed.
import { readFile, readlink } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAP_NAMES } from '../../server/host/capabilities.ts';
import { ApiClient, ApiRequestError } from '../../server/protocol/api-client.ts';
import type {
  ContainerInspection,
  InspectorSnapshot,
} from '../../server/protocol/inspector-types.ts';
import { labelled, startTestServer, type TestServer } from '../support/test-server.ts';

const INSTANCE = 'test-docker-inspector';
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer(INSTANCE, 60_000, { pool: 'off' });
});

afterAll(async () => {
  await t[Symbol.asyncDispose]();
  expect(await labelled(t.docker, INSTANCE)).toEqual([]);
});

/** The engine's view of one of the session's containers. */
async function engineView(
  sessionId: string,
  name: string,
): Promise<Dockerode.ContainerInspectInfo> {
  const found = (await labelled(t.docker, INSTANCE, sessionId)).find(
    (c) => c.Labels['nslab.container'] === name,
  );
  if (found === undefined) throw new Error(`no container ${name}`);
  return t.docker.getContainer(found.Id).inspect();
}

/** The kernel's view, read here without the inspector's code: status fields of a host PID. */
async function kernelStatus(pid: number): Promise<Record<string, string>> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  return Object.fromEntries(
    text.split('\n').flatMap((line) => {
      const [key, ...rest] = line.split(':');
      return key === undefined || rest.length === 0 ? [] : [[key, rest.join(':').trim()]];
    }),
  );
}

function decode(hex: string | undefined): string[] {
  const mask = BigInt(`0x${hex ?? '0'}`);
  return CAP_NAMES.filter((_n, bit) => (mask & (1n << BigInt(bit))) !== 0n);
}

/** A cgroup v1 controller's file of a host PID (these machines run cgroup v1). */
async function cgroupFile(pid: number, controller: string, file: string): Promise<string> {
  const lines = (await readFile(`/proc/${pid}/cgroup`, 'utf8')).split('\n');
  const line = lines.find((l) => (l.split(':')[1] ?? '').split(',').includes(controller));
  const [, controllers, path] = line?.split(':') ?? [];
  if (controllers === undefined || path === undefined) throw new Error(`no ${controller} cgroup`);
  return (await readFile(`/sys/fs/cgroup/${controllers}${path}/${file}`, 'utf8')).trim();
}

function container(snapshot: InspectorSnapshot, name: string): ContainerInspection {
  const found = snapshot.containers.find((c) => c.name === name);
  if (found === undefined) throw new Error(`the inspector shows no ${name}`);
  return found;
}

/** What the inspector says, checked against the engine and the kernel for one container. */
async function agrees(
  sessionId: string,
  c: ContainerInspection,
): Promise<Dockerode.ContainerInspectInfo> {
  const info = await engineView(sessionId, c.name);
  expect(c.running).toBe(true);
  expect(c.pid).toBe(info.State.Pid);
  const status = await kernelStatus(info.State.Pid);
  expect(c.capabilities?.effective).toEqual(decode(status.CapEff));
  expect(c.capabilities?.bounding).toEqual(decode(status.CapBnd));
  expect(c.capabilities?.ambient).toEqual(decode(status.CapAmb));
  expect(c.security?.seccomp).toBe(
    { '0': 'disabled', '1': 'strict', '2': 'filter' }[status.Seccomp ?? ''],
  );
  expect(c.security?.noNewPrivs).toBe(status.NoNewPrivs === '1');
  expect(c.security?.privileged).toBe(info.HostConfig.Privileged);
  expect(c.security?.readonlyRootfs).toBe(info.HostConfig.ReadonlyRootfs);
  expect(c.security?.maskedPaths).toEqual(info.HostConfig.MaskedPaths ?? []);
  for (const row of c.namespaces) {
    expect(row.container).toBe(await readlink(`/proc/${info.State.Pid}/ns/${row.kind}`));
    expect(row.host).toBe(await readlink(`/proc/self/ns/${row.kind}`));
  }
  expect(c.cgroup?.memory.limit).toBe(info.HostConfig.Memory);
  expect(String(c.cgroup?.memory.limit)).toBe(
    await cgroupFile(info.State.Pid, 'memory', 'memory.limit_in_bytes'),
  );
  expect(c.cgroup?.pids.limit).toBe(info.HostConfig.PidsLimit);
  expect(c.cgroup?.cpu.cpus).toBe((info.HostConfig.NanoCpus ?? 0) / 1e9);
  expect(c.cgroup?.memory.usage).toBeGreaterThan(0);
  return info;
}

const sharing = (c: ContainerInspection, kind: string): string | undefined =>
  c.namespaces.find((n) => n.kind === kind)?.sharing;

describe('the isolation inspector on the real engine', () => {
  it("matches the engine and the kernel for the capabilities lab's profiles", async () => {
    const session = await t.api.startSession('capabilities');
    try {
      const snapshot = await t.api.inspection(session.id);
      for (const c of snapshot.containers) {
        const info = await agrees(session.id, c);
        const dropped = (info.HostConfig.CapDrop ?? []) as string[];
        if (!dropped.includes('ALL'))
          expect([...(c.capabilities?.dropped ?? [])].sort()).toEqual(
            dropped.map((d) => `cap_${d.toLowerCase()}`).sort(),
          );
        expect(c.capabilities?.added).toEqual([]);
        expect(sharing(c, 'pid')).toBe('private');
      }
      const minimal = container(snapshot, 'minimal');
      expect(minimal.capabilities?.bounding).toEqual(['cap_chown']);
      expect(minimal.capabilities?.dropped).toHaveLength(13);
      expect(container(snapshot, 'default').capabilities?.dropped).toEqual([]);
    } finally {
      await t.api.endSession(session.id);
    }
  });

  it("shows the pid lab's host-pid container in the host's PID namespace, with its risk", async () => {
    const session = await t.api.startSession('pid');
    try {
      const snapshot = await t.api.inspection(session.id);
      for (const c of snapshot.containers) await agrees(session.id, c);
      const hostPid = container(snapshot, 'host-pid');
      expect(sharing(hostPid, 'pid')).toBe('host');
      expect(
        hostPid.risks.some((r) => r.level === 'high' && r.setting.en.startsWith('pid namespace')),
      ).toBe(true);
      // Running as nobody: no effective capability, the bounding set still Docker's default.
      expect(hostPid.capabilities?.effective).toEqual([]);
      expect(hostPid.capabilities?.dropped).toEqual([]);
      expect(sharing(container(snapshot, 'isolated'), 'pid')).toBe('private');
      expect(
        container(snapshot, 'isolated').risks.some((r) => r.setting.en.startsWith('pid')),
      ).toBe(false);
    } finally {
      await t.api.endSession(session.id);
    }
  });

  it('follows a cgroup-memory container live, up to the OOM kill the kernel counted', async () => {
    const session = await t.api.startSession('cgroup-memory');
    try {
      const before = container(await t.api.inspection(session.id), 'limited');
      const info = await agrees(session.id, before);
      expect(before.cgroup?.oomKills).toBe(0);
      await using shell = await t.openTerminal(session.id, 'limited');
      await shell.run('tail /dev/zero; echo exited $?', 60_000);
      const after = container(await t.api.inspection(session.id), 'limited');
      const kernel = /oom_kill (\d+)/.exec(
        await cgroupFile(info.State.Pid, 'memory', 'memory.oom_control'),
      )?.[1];
      expect(after.cgroup?.oomKills).toBeGreaterThanOrEqual(1);
      expect(String(after.cgroup?.oomKills)).toBe(kernel);
    } finally {
      await t.api.endSession(session.id);
    }
  });

  it("names the escape-host-mount lab's host directory binds and their risk", async () => {
    const session = await t.api.startSession('escape-host-mount');
    try {
      const snapshot = await t.api.inspection(session.id);
      for (const c of snapshot.containers) {
        const info = await agrees(session.id, c);
        const binds = info.Mounts.filter((m) => m.Type === 'bind');
        expect(c.security?.exposures.map((e) => [e.source, e.destination, e.readOnly])).toEqual(
          binds.map((m) => [m.Source, m.Destination, !m.RW]),
        );
        const rw = binds.some((m) => m.RW);
        expect(
          c.risks.some(
            (r) => r.level === (rw ? 'medium' : 'low') && r.source.en.includes('recommendation 10'),
          ),
        ).toBe(true);
      }
    } finally {
      await t.api.endSession(session.id);
    }
  });

  it("marks the escape-docker-sock lab's engine socket as the host's root", async () => {
    const session = await t.api.startSession('escape-docker-sock');
    try {
      const snapshot = await t.api.inspection(session.id);
      const withSocket = snapshot.containers.filter((c) =>
        c.security?.exposures.some((e) => e.kind === 'docker-socket'),
      );
      expect(withSocket.length).toBeGreaterThanOrEqual(1);
      for (const c of withSocket) {
        const info = await agrees(session.id, c);
        const socket = c.security?.exposures.find((e) => e.kind === 'docker-socket');
        expect(
          info.Mounts.some(
            (m) => m.Source === socket?.source && m.Destination === socket.destination,
          ),
        ).toBe(true);
        expect(c.risks[0]).toMatchObject({ level: 'high' });
        expect(c.risks.some((r) => r.source.en.includes('daemon attack surface'))).toBe(true);
      }
    } finally {
      await t.api.endSession(session.id);
    }
  });

  it("refuses another learner's session and reads only while the stream is open", async () => {
    const session = await t.api.startSession('uts');
    try {
      const stranger = new ApiClient(t.api.origin, t.api.token, 'someone-else');
      await expect(stranger.inspection(session.id)).rejects.toBeInstanceOf(ApiRequestError);
      await expect(stranger.inspection(session.id)).rejects.toMatchObject({ status: 404 });
      const refused = await fetch(t.api.inspectionStreamUrl(session.id), {
        headers: { authorization: `Bearer ${t.api.token}`, 'x-nslab-learner': 'someone-else' },
      });
      expect(refused.status).toBe(404);

      const abort = new AbortController();
      const stream = await fetch(t.api.inspectionStreamUrl(session.id), {
        headers: { authorization: `Bearer ${t.api.token}` },
        signal: abort.signal,
      });
      expect(stream.headers.get('content-type')).toContain('text/event-stream');
      const reader = stream.body?.getReader() as
        ReadableStreamDefaultReader<Uint8Array> | undefined;
      let text = '';
      while ((text.match(/event: inspection/g) ?? []).length < 2) {
        const chunk = await reader?.read();
        if (chunk === undefined || chunk.done) break;
        text += new TextDecoder().decode(chunk.value);
      }
      expect((text.match(/event: inspection/g) ?? []).length).toBeGreaterThanOrEqual(2);
      expect(t.server.inspector.watched).toBe(1);
      abort.abort();
      await expect.poll(() => t.server.inspector.watched).toBe(0);
    } finally {
      await t.api.endSession(session.id);
    }
  });
});
