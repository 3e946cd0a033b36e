// Containment of the escape labs, on the real engine. Solo mode: the docker.sock lab's engine
// belongs to one session (not the server's engine), hides the server's engine, nslab's state
// and other sessions from a `-v /:/host` container, and dies with its session; a cgroup v1
// hierarchy an escape container mounted is released when its session ends. Workshop mode:
// learner A completes every escape exercise on offer, then an escape through A's seat engine
// cannot reach learner B's flag, the server's state or the server's Docker socket.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { labs } from '../../labs/index.ts';
import { engineCgroupName } from '../../server/docker/engine-cgroups.ts';
import { parseHierarchyNames } from '../../server/host/named-cgroups.ts';
import { ApiClient } from '../../server/protocol/api-client.ts';
import { TerminalDriver } from '../../server/verify/terminal-driver.ts';
import { verifyLab } from '../../server/verify/verify-lab.ts';
import { ServerProcess } from '../support/server-process.ts';
import { labelled, startTestServer } from '../support/test-server.ts';

const CRASH_INSTANCE = 'test-escape-crash';
const CRASH_TOKEN = 'escape-crash-token';

/** The real CLI as a child process (test/support/server-process.ts). */
async function startCli(): Promise<{ child: ChildProcess; api: ApiClient }> {
  const server = await ServerProcess.start({ instance: CRASH_INSTANCE, token: CRASH_TOKEN });
  return { child: server.child, api: server.api() };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** The session engine's cgroup directories, in any hierarchy. */
function engineCgroups(sessionId: string): string[] {
  const name = engineCgroupName(CRASH_INSTANCE, sessionId, 'engine');
  return ['/sys/fs/cgroup', ...readdirSync('/sys/fs/cgroup').map((h) => `/sys/fs/cgroup/${h}`)]
    .map((h) => `${h}/${name}`)
    .filter((dir) => existsSync(dir));
}

/** Loop devices backed by a file of this instance. */
function instanceLoops(): string[] {
  return readdirSync('/sys/block')
    .filter((n) => n.startsWith('loop'))
    .filter((n) => {
      try {
        return readFileSync(`/sys/block/${n}/loop/backing_file`, 'utf8').includes(
          `/${CRASH_INSTANCE}/sessions/`,
        );
      } catch {
        return false;
      }
    });
}

/** Runs a command in a new container on `docker` and returns what it printed. */
async function runOn(
  docker: Dockerode,
  image: string,
  cmd: string,
  hostConfig: Dockerode.HostConfig = {},
): Promise<string> {
  const container = await docker.createContainer({
    Image: image,
    Cmd: ['sh', '-c', cmd],
    Tty: true,
    HostConfig: hostConfig,
  });
  await container.start();
  await container.wait();
  const logs = await container.logs({ stdout: true, stderr: true, follow: false });
  await container.remove({ force: true });
  return logs.toString('utf8').replaceAll('\r', '');
}

const hierarchies = (): string[] => parseHierarchyNames(readFileSync('/proc/self/cgroup', 'utf8'));

describe('escape containment (solo mode)', () => {
  it("gives each docker.sock session its own engine, which cannot see the server's", async () => {
    await using t = await startTestServer('test-escape');
    const a = await t.api.startSession('escape-docker-sock');
    const b = await t.api.startSession('escape-docker-sock');
    const engineA = t.server.sessions.get(a.id).dockerds.get('engine');
    const engineB = t.server.sessions.get(b.id).dockerds.get('engine');
    if (engineA === undefined || engineB === undefined) throw new Error('no session engine');
    // Not the server's engine: a different daemon, with none of the server's containers.
    const mainId = ((await t.docker.info()) as { ID: string }).ID;
    expect(((await engineA.docker.info()) as { ID: string }).ID).not.toBe(mainId);
    expect(await engineA.docker.listContainers({ all: true })).toEqual([]);
    const image = (await engineA.docker.listImages())[0]?.RepoTags?.[0] ?? '';
    expect(image).toMatch(/^nslab\/lab:/);

    const { stateDir } = t.server.config;
    const { dockerRootDir } = t.server.facts;
    const view = await runOn(
      engineA.docker,
      image,
      [
        'test -S /host/run/docker.sock && echo MAIN-SOCKET',
        'test -S /host/run/containerd/containerd.sock && echo MAIN-CONTAINERD',
        `ls -A /host${dockerRootDir} | sed 's/^/DOCKER-ROOT /'`,
        `ls -A /host${stateDir}/test-escape/sessions | sed 's/^/SESSION /'`,
        `ls -A /host${stateDir} | sed 's/^/STATE /'`,
        'cat /host/flag-of-a 2>/dev/null',
      ].join('; '),
      { Binds: ['/:/host:ro'] },
    );
    expect(view).not.toContain('MAIN-SOCKET');
    expect(view).not.toContain('MAIN-CONTAINERD');
    expect(view).not.toContain('DOCKER-ROOT');
    // Only this session's own directory is visible under nslab's state.
    expect(view).toContain(`SESSION ${a.id}`);
    expect(view).not.toContain(`SESSION ${b.id}`);
    expect(view.match(/^STATE /gm)).toEqual(['STATE ']);

    // Its host PID namespace is its own, and its host network has nothing but lo.
    const pids = await runOn(engineA.docker, image, 'ps -e -o comm= | sort -u', {
      PidMode: 'host',
    });
    expect(pids).toContain('dockerd');
    expect(pids).not.toContain('node');
    const net = await runOn(engineA.docker, image, 'ls /sys/class/net', { NetworkMode: 'host' });
    expect(net.trim()).toBe('lo');

    // The session's flag, through the engine: the lab's escape works.
    const flag = await runOn(engineA.docker, image, 'cat /host/flag', {
      Binds: [`${stateDir}/test-escape/sessions/${a.id}:/host:ro`],
    });
    expect(flag.trim()).toMatch(/^[0-9a-f]{16}$/);

    // Ending A removes its engine with everything it ran; B's engine is untouched.
    await engineA.docker
      .createContainer({ Image: image, Cmd: ['sleep', '1000'] })
      .then((c) => c.start());
    await t.api.endSession(a.id);
    expect(await t.server.leftovers(a.id)).toEqual([]);
    expect(existsSync(engineA.socketPath)).toBe(false);
    await expect(engineA.docker.ping()).rejects.toThrow();
    await expect(engineB.docker.ping()).resolves.toBeDefined();
    await t.api.endSession(b.id);
    expect(await t.server.leftovers(b.id)).toEqual([]);
  });

  it('releases the cgroup v1 hierarchy an escape container left behind', async (ctx) => {
    await using t = await startTestServer('test-escape-cg');
    if (t.server.facts.cgroupV1Mount !== true) ctx.skip();
    const session = await t.api.startSession('escape-release-agent');
    const terminal = await t.openTerminal(session.id, 'escape');
    // Not named nslab-…: the session still finds it, in its container's mounts.
    await terminal.run(
      'mkdir -p /tmp/cg && mount -t cgroup -o none,name=leftover-test nslab /tmp/cg && mkdir -p /tmp/cg/a/b',
    );
    expect(hierarchies()).toContain('leftover-test');
    await terminal.close();
    await t.api.endSession(session.id);
    await expect.poll(hierarchies, { timeout: 5_000 }).not.toContain('leftover-test');
  });

  it('sweeps the engines, disks and cgroup hierarchies a SIGKILLed server left', async () => {
    const crashed = await startCli();
    const sock = await crashed.api.startSession('escape-docker-sock');
    const disk = await crashed.api.startSession('escape-privileged-device');
    const agent = await crashed.api.startSession('escape-release-agent');
    // A container of the learner's on the session engine, running.
    const stateDir = process.env.NSLAB_STATE_DIR ?? '/var/lib/nslab';
    const socketPath = `${stateDir}/${CRASH_INSTANCE}/sessions/${sock.id}/engine/docker.sock`;
    const engine = new Dockerode({ socketPath });
    const image = (await engine.listImages())[0]?.RepoTags?.[0] ?? '';
    const mine = await engine.createContainer({ Image: image, Cmd: ['sleep', '1000'] });
    await mine.start();
    // A hierarchy with a child cgroup, mounted in the release_agent lab's container.
    const name = `nslab-crash-${randomBytes(4).toString('hex')}`;
    const terminal = await TerminalDriver.open(crashed.api.terminalUrl(agent.id, 'escape'), {
      token: crashed.api.token,
      origin: crashed.api.origin,
    });
    await terminal.waitForPrompt();
    await terminal.run(
      `mkdir -p /tmp/cg && mount -t cgroup -o none,name=${name} nslab /tmp/cg && mkdir -p /tmp/cg/x/y`,
    );
    await terminal.close();
    const mounted = hierarchies().includes(name);

    crashed.child.kill('SIGKILL');
    await exited(crashed.child);
    expect(engineCgroups(sock.id).length).toBeGreaterThan(0);
    expect(instanceLoops().length).toBeGreaterThan(0);
    expect(await labelled(new Dockerode(), CRASH_INSTANCE, disk.id)).toHaveLength(3);

    const restarted = await startCli();
    expect(await labelled(new Dockerode(), CRASH_INSTANCE)).toEqual([]);
    expect(engineCgroups(sock.id)).toEqual([]);
    expect(instanceLoops()).toEqual([]);
    // Where this kernel mounts v1 hierarchies at all (the lab's preflight).
    if (mounted) expect(hierarchies()).not.toContain(name);
    expect(existsSync(`${stateDir}/${CRASH_INSTANCE}/sessions/${sock.id}`)).toBe(false);
    restarted.child.kill('SIGTERM');
    expect(await exited(restarted.child)).toBe(0);
  });
});

describe('escape containment (workshop mode)', () => {
  const JOIN = 'workshop-test-join';

  it("lands learner A's escapes on A's seat: B's flag, the server's state and its Docker socket stay out of reach", async () => {
    // B never opens a terminal: a long grace keeps B's session (and flag) alive while A works,
    // however slow the machine (in the VM under emulation A's labs take minutes).
    await using t = await startTestServer('test-workshop', 3_600_000, {
      mode: 'workshop',
      joinCode: JOIN,
    });
    const instructor = t.api;
    try {
      const a = await ApiClient.join(t.server.origin, JOIN);
      const b = await ApiClient.join(t.server.origin, JOIN);
      await expect(ApiClient.join(t.server.origin, 'not-the-code')).rejects.toThrow();

      // Learners are not instructors: no resetting the shared host.
      await expect(a.resetHost()).rejects.toMatchObject({ status: 403 });
      // Labs that give the VM's root (image-provenance: a root engine) are refused, with the reason.
      const soloOnly = labs.filter((l) => l.escape === true && l.workshop === undefined);
      expect(soloOnly.map((l) => l.id).sort()).toEqual([
        'escape-docker-tcp',
        'escape-host-pid',
        'escape-privileged-device',
        'escape-release-agent',
        'image-provenance',
      ]);
      for (const lab of soloOnly) {
        await expect(a.startSession(lab.id)).rejects.toMatchObject({ status: 409 });
      }

      // B holds a flag on B's own seat.
      const bSession = await b.startSession('escape-docker-sock');
      const bDir = t.server.sessions.get(bSession.id).dir;
      const bSeat = statSync(bDir);
      expect(statSync(`${bDir}/flag`).mode & 0o777).toBe(0o600);
      expect(bSeat.uid).not.toBe(0);

      // A completes every escape exercise a workshop offers, through the real terminal.
      const onSeats = labs.filter((l) => l.workshop !== undefined);
      for (const lab of onSeats) {
        const verdict = await verifyLab({ api: a, leftovers: (id) => t.server.leftovers(id) }, lab);
        expect(verdict.problems, lab.id).toEqual([]);
        expect(verdict.skipped, lab.id).toBeUndefined();
        expect(verdict.exercises, lab.id).toBeGreaterThan(0);
      }

      // Then A uses the seat engine for all it is worth: a container binding the host's /.
      const aSession = await a.startSession('escape-docker-sock');
      const aDir = t.server.sessions.get(aSession.id).dir;
      const seatEngine = t.server.sessions.get(aSession.id).dockerds.get('engine');
      if (seatEngine === undefined) throw new Error('no seat engine');
      expect(statSync(aDir).uid).not.toBe(bSeat.uid);
      const image = (await seatEngine.docker.listImages())[0]?.RepoTags?.[0] ?? '';
      const connect = (socket: string): string =>
        `python3 -c "import socket; s = socket.socket(socket.AF_UNIX); s.connect('${socket}'); print('CONNECTED ${socket}')" 2>&1 | tail -n 1`;
      const out = await runOn(
        seatEngine.docker,
        image,
        [
          'id -u',
          `cat /host${aDir}/flag`,
          `cat /host${bDir}/flag 2>&1`,
          `ls /host${t.server.files.instanceDir('test-workshop')} 2>&1`,
          'ls /host/var/lib/docker 2>&1',
          connect('/host/run/docker.sock'),
          `for s in /host/run/.ro*/docker.sock; do ${connect('$s')}; done`,
        ].join('; echo ---; '),
        { Binds: ['/:/host:ro'] },
      );
      // B's flag is still there: what A gets is a refusal, not an absence.
      expect(existsSync(`${bDir}/flag`)).toBe(true);
      const [uid, ownFlag, otherFlag, state, dockerData, ...sockets] = out
        .split('---')
        .map((part) => part.trim());
      // Root in the seat's container is root only in the seat's user namespace.
      expect(uid).toBe('0');
      expect(ownFlag).toBe(t.server.sessions.get(aSession.id).token);
      expect(otherFlag).toMatch(/Permission denied/);
      expect(state).toMatch(/Permission denied/);
      expect(dockerData).toMatch(/Permission denied/);
      for (const socket of sockets) {
        expect(socket).not.toMatch(/CONNECTED/);
        expect(socket).toMatch(/Permission denied|No such file|Connection refused/);
      }
      // What the escape wrote on the host belongs to A's seat user, not to root.
      await runOn(seatEngine.docker, image, 'echo proof > /host/proof', {
        Binds: [`${aDir}:/host`],
      });
      expect(statSync(`${aDir}/proof`).uid).toBe(statSync(aDir).uid);
      expect(statSync(`${aDir}/proof`).uid).not.toBe(0);
    } finally {
      // The instructor's reset ends every session and purges the seats (users, engines, data).
      await instructor.resetHost();
    }
    expect(await t.server.leftovers()).toEqual([]);
  });
});
