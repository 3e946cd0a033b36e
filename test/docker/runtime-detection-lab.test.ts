// The runtime-detection lab attacked as a root learner in the monitor would: a decoy's PID,
// the monitor's own shell, another session's odd process and namespace, a look-alike started
// in the monitor from a deleted file under the very same name, a fake readlink that makes
// every process look odd, a paused intruder, and a response that kills everything. Then the
// honest way, which passes. Two sessions run side by side, as in a room.
import { describe, expect, it } from 'vitest';
import { FIND_ODD } from '../../labs/runtime-detection/runtime-detection-lab.ts';
import { plantedValue } from '../../labs/runtime-detection/planted-process.ts';
import { startTestServer } from '../support/test-server.ts';

/** Every PID a command printed on a line of its own. */
function pids(output: string): number[] {
  return [...output.matchAll(/^(\d+)$/gm)].map((m) => Number(m[1]));
}

const USER_NS = 'readlink /proc/$(' + FIND_ODD + ')/ns/user';

describe('runtime-detection lab under attack', () => {
  it('judges the odd process from the host, whatever the monitor runs or prints', async () => {
    await using t = await startTestServer('test-runtime-detection');
    const [a, b] = await Promise.all([
      t.api.startSession('runtime-detection'),
      t.api.startSession('runtime-detection'),
    ]);
    const monitorA = await t.openTerminal(a.id, 'monitor');
    const monitorB = await t.openTerminal(b.id, 'monitor');

    // Each monitor sees one odd process, its own session's, under the session's disguise.
    const [oddA] = pids(await monitorA.run(FIND_ODD));
    const [oddB] = pids(await monitorB.run(FIND_ODD));
    if (oddA === undefined || oddB === undefined) throw new Error('no odd process found');
    const { argv0 } = plantedValue(t.server.sessions.get(a.id).token);
    expect(await monitorA.run(`tr '\\0' ' ' < /proc/${oddA}/cmdline; echo`)).toContain(argv0);

    // Three different wrong answers are free (server/checks/attempt-limiter.ts), for this
    // learner and exercise across sessions: a decoy, another session's odd PID, a look-alike.
    const tail = pids(await monitorA.run('pgrep -x tail'))[0];
    const decoy = await t.api.check(a.id, 'find-odd', String(tail));
    expect(decoy).toMatchObject({ passed: false, hint: { index: 1 } });
    expect(decoy.reason).toMatch(/an ordinary process of the workload/);

    // Another session's odd process lives in another PID namespace: its number means nothing here.
    if (oddB !== oddA)
      expect((await t.api.check(a.id, 'find-odd', String(oddB))).passed).toBe(false);

    // A look-alike in the monitor: the same name, run from a file deleted at once. The monitor's
    // FIND_ODD lists it too, but it is in the monitor's cgroup, not the workload's.
    await monitorA.run(
      `cp /usr/bin/sleep /dev/.k && (exec -a '${argv0}' /dev/.k 1000 &) ; sleep 0.3; rm /dev/.k`,
    );
    const lookalike = pids(await monitorA.run(FIND_ODD)).find((p) => p !== oddA);
    expect(lookalike).toBeDefined();
    const fooled = await t.api.check(a.id, 'find-odd', String(lookalike));
    expect(fooled).toMatchObject({ passed: false });
    expect(fooled.reason).toMatch(/monitor's own processes/);

    // A fake readlink on the monitor's PATH makes every process look odd, the decoy included;
    // the check reads the host.
    await monitorA.run(
      "mkdir -p /dev/f && printf '#!/bin/sh\\necho /memfd:x\\n' > /dev/f/readlink && chmod +x /dev/f/readlink",
    );
    const faked = pids(await monitorA.run(`PATH=/dev/f:$PATH; ${FIND_ODD}; PATH=/usr/bin:/bin`));
    expect(faked).toContain(tail);
    expect((await t.api.check(a.id, 'find-odd', String(tail))).passed).toBe(false);
    expect((await t.api.check(a.id, 'find-odd', String(oddA))).passed).toBe(true);

    // Namespaces: the workload's own (the host's user namespace) and B's odd one are refused.
    const hostUser = await t.api.check(a.id, 'own-namespace', 'user:[4026531837]');
    expect(hostUser).toMatchObject({ passed: false, hint: { index: 1 } });
    const nsB = /user:\[(\d+)\]/.exec(await monitorB.run(USER_NS))?.[1];
    const nsA = /user:\[(\d+)\]/.exec(await monitorA.run(`readlink /proc/${oddA}/ns/user`))?.[1];
    expect(nsA).toBeDefined();
    expect(nsB).not.toBe(nsA);
    expect((await t.api.check(a.id, 'own-namespace', nsB)).passed).toBe(false);
    expect((await t.api.check(a.id, 'own-namespace', `user:[${nsA ?? ''}]`)).passed).toBe(true);

    // Paused is not gone.
    await monitorA.run(`kill -STOP ${oddA}`);
    const paused = await t.api.check(a.id, 'stop-odd');
    expect(paused.reason).toMatch(/stopped \(state T\)/);

    // B takes everything down: kill -1 reaches the workload's main program too, and the
    // container ends with it (and the monitor's own). Refused, with the reason.
    await monitorB.run('kill -9 -1', 3000).catch(() => undefined);
    const outage = await t.api.check(b.id, 'stop-odd');
    expect(outage).toMatchObject({ passed: false });
    // Read while the container dies, the decoys are simply missing: refused all the same.
    expect(outage.reason).toMatch(/outage|lost/);

    // Killing the decoys by the name the intruder may share with them: an outage too.
    const c = await t.api.startSession('runtime-detection');
    const monitorC = await t.openTerminal(c.id, 'monitor');
    await monitorC.run('pkill -f http.server; pkill -x tail; true');
    const lost = await t.api.check(c.id, 'stop-odd');
    expect(lost.reason).toMatch(/lost/);

    // The honest response in A: by PID; the look-alike and the decoys live on.
    await monitorA.run(`kill -KILL ${oddA}`);
    expect((await t.api.check(a.id, 'stop-odd')).passed).toBe(true);
    await monitorA.close();
    await monitorB.close().catch(() => undefined);
    await monitorC.close();
  }, 180_000);

  it("lets the workload's seccomp profile through the intruder's one unshare and nothing wider", async () => {
    await using t = await startTestServer('test-runtime-detection-seccomp');
    const session = await t.api.startSession('runtime-detection');
    const workload = t.server.sessions.get(session.id).containers.get('workload')?.id ?? '';
    const exitOf = async (cmd: string): Promise<number | null> => {
      const exec = await t.docker.getContainer(workload).exec({
        Cmd: ['sh', '-c', `${cmd} >/dev/null 2>&1`],
        AttachStdout: true,
        AttachStderr: true,
      });
      const stream = await exec.start({});
      stream.resume();
      await new Promise((done) => stream.on('end', done));
      return (await exec.inspect()).ExitCode;
    };
    // What the monitor could do through a ptraced workload process is what this allows.
    expect(await exitOf('unshare --user --uts true')).toBe(0);
    expect(await exitOf('unshare --user --net true')).not.toBe(0);
    expect(await exitOf('unshare --user --map-root-user true')).not.toBe(0);
    expect(await exitOf('unshare --user --uts --mount true')).not.toBe(0);
    expect(await exitOf('python3 -c "import os; os.fork() or os._exit(0)"')).toBe(0);
  }, 120_000);
});
