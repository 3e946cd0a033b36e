// Issue 11's attacks from one session on another, typed through the real terminals. A root
// shell in a uts session plants programs called dockerd (one holding a file at the very path
// of the pid session's container log) for the pid session to submit; a pid-lab shell sniffs
// every command line on the host while an escape-host-pid session is set up. Neither may
// earn a pass: the daemon must be the one holding this session's log open, and no secret is
// ever on a command line.
import { readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mysteryCapability } from '../../labs/capabilities/capability-bits.ts';
import { plantedQueueKey } from '../../labs/ipc/ipc-lab.ts';
import { FIND_DOCKERD } from '../../labs/pid/docker-daemon-exercise.ts';
import { helperPath } from '../../labs/setuid/setuid-lab.ts';
import { tenantUid } from '../../labs/user/user-evidence.ts';
import { labelled, startTestServer } from '../support/test-server.ts';

const CONTAINER_ID = /\b([0-9a-f]{64})\b/;

/** A sniffer for a shell of nobody's: every new command line on the host, for `seconds`. */
const SNIFFER = String.raw`import os, sys, time
end = time.time() + float(sys.argv[1])
seen = set()
with open(sys.argv[2], 'w') as out:
    while time.time() < end:
        for pid in os.listdir('/proc'):
            if not pid.isdigit():
                continue
            try:
                with open('/proc/' + pid + '/cmdline', 'rb') as f:
                    line = f.read().replace(b'\0', b' ').strip()
            except OSError:
                continue
            if line and line not in seen:
                seen.add(line)
                out.write(line.decode('utf-8', 'replace') + '\n')
                out.flush()
    out.write('# sniffer done\n')
`;

describe('attacks from another session', () => {
  it("pid/docker-daemon refuses every dockerd but the one holding this session's log", async () => {
    await using t = await startTestServer('test-cross-dockerd');
    const pid = await t.api.startSession('pid');
    const uts = await t.api.startSession('uts');
    const isolated = await t.openTerminal(pid.id, 'isolated');
    const hostPid = await t.openTerminal(pid.id, 'host-pid');
    const elsewhere = await t.openTerminal(uts.id, 'isolated');

    // The pid session's isolated container, whose log the check asks about.
    const id = CONTAINER_ID.exec(await isolated.run('cat /proc/self/cgroup'))?.[1] ?? '';
    const logPath = (await t.docker.getContainer(id).inspect()).LogPath;
    expect(logPath).toBe(`/var/lib/docker/containers/${id}/${id}-json.log`);

    // Root in the other session: sleep renamed dockerd, once holding a file at that very path.
    await elsewhere.run(
      `d=/var/lib/docker/containers/${id} && mkdir -p $d && : > $d/${id}-json.log; ` +
        'cp /bin/sleep /tmp/dockerd; ' +
        `( exec 3>>$d/${id}-json.log; exec /tmp/dockerd 600 ) >/dev/null 2>&1 & ` +
        '( /tmp/dockerd 601 & ) >/dev/null 2>&1; sleep 0.5',
    );
    const pidOf = async (pattern: string): Promise<string> =>
      /^(\d+)$/m.exec(await hostPid.run(`pgrep -f -- '${pattern}'`))?.[1] ?? '';
    const holding = await pidOf('^/tmp/dockerd 600$');
    const plain = await pidOf('^/tmp/dockerd 601$');
    expect(holding).toMatch(/^\d+$/);
    expect(plain).toMatch(/^\d+$/);
    // What a name-and-path check would have seen: dockerd, root, the log's own path open.
    const status = await readFile(`/proc/${holding}/status`, 'utf8');
    expect(status).toMatch(/^Name:\s+dockerd$/m);
    expect(status).toMatch(/^Uid:\s+0\s/m);
    expect(await readlink(`/proc/${holding}/fd/3`)).toBe(logPath);

    const fakes = [holding, plain];
    // A real root dockerd that runs other containers: the user-namespace lab's engine.
    const userns = await pidOf('--userns-remap');
    if (userns !== '') fakes.push(userns);
    for (const fake of fakes) {
      const result = await t.api.check(pid.id, 'docker-daemon', fake);
      expect({ fake, passed: result.passed }).toEqual({ fake, passed: false });
    }
    const verdict = await t.api.check(pid.id, 'docker-daemon', holding);
    expect(verdict.reason).toMatch(/runs inside container [0-9a-f]{12}/);

    // A wrong token is a verdict, not a server error (an unchanged layer once made it a 500).
    expect(await t.api.check(pid.id, 'planted-token', '0123456789abcdef')).toMatchObject({
      passed: false,
    });
    // The honest way still passes.
    const honest = /^(\d+)$/m.exec(await hostPid.run(FIND_DOCKERD))?.[1];
    // Never one of the renamed sleeps, whatever their PIDs (after a wrap they may be the lowest).
    expect([holding, plain]).not.toContain(honest);
    expect((await t.api.check(pid.id, 'docker-daemon', honest)).passed).toBe(true);
    await Promise.all([isolated.close(), hostPid.close(), elsewhere.close()]);
  });

  it('a pid-lab shell sniffing /proc/*/cmdline while sessions are set up never sees their secrets', async () => {
    await using t = await startTestServer('test-cmdline-sniffer', 60_000, {
      maxSessionsPerLearner: 6,
    });
    const pid = await t.api.startSession('pid');
    const hostPid = await t.openTerminal(pid.id, 'host-pid');
    const script = Buffer.from(SNIFFER, 'utf8').toString('base64');
    await hostPid.run(
      `echo ${script} | base64 -d > /tmp/sniff.py; (python3 /tmp/sniff.py 75 /tmp/sniffed &) ; sleep 1`,
    );

    const escape = await t.api.startSession('escape-host-pid');
    const flagFile = path.join(
      t.server.files.dirOf(t.server.config.instance, escape.id),
      'vault/flag',
    );
    const flag = (await readFile(flagFile, 'utf8')).trim();
    expect(flag).toMatch(/^[0-9a-f]{16}$/);

    // The control: the sniffer does catch a short command the server runs in that session.
    const [vault] = (await labelled(t.docker, t.server.config.instance, escape.id)).filter(
      (c) => c.Labels['nslab.container'] === 'vault',
    );
    for (let i = 0; i < 5; i++) {
      const exec = await t.docker
        .getContainer(vault?.Id ?? '')
        .exec({ Cmd: ['sh', '-c', 'sleep 0.05', `control-${i}-${pid.id}`] });
      const stream = await exec.start({});
      await new Promise((resolve) => stream.on('end', resolve).resume());
    }

    // Labs whose set-up plants a per-session answer: a helper's path, a dropped capability, a
    // tenant's uid, a queue key. Each is planted from the host's side, never on a command line.
    const secrets: string[] = [];
    for (const labId of ['setuid', 'capabilities', 'user', 'ipc']) {
      const view = await t.api.startSession(labId);
      const { token } = t.server.sessions.get(view.id);
      secrets.push(
        helperPath(token),
        mysteryCapability(token),
        `--reuid=${tenantUid(token)}`,
        ` ${tenantUid(token)}`,
        String(plantedQueueKey(token)),
      );
    }

    const sniffed = await hostPid.run(
      "until grep -q '^# sniffer done' /tmp/sniffed; do sleep 1; done; cat /tmp/sniffed",
      120_000,
    );
    expect(sniffed).toContain('control-');
    expect(sniffed).toMatch(/nslab-vault-[0-9a-f]{8}/);
    expect(sniffed).not.toContain(flag);
    // Nothing it saw is the flag: every 16-hex word in it fails as an answer.
    const words = [...new Set(sniffed.match(/\b[0-9a-f]{16}\b/g) ?? [])];
    expect(words).not.toContain(flag);
    expect(sniffed).toContain('python3 -c');
    const lines = sniffed.split('\n');
    for (const secret of secrets) expect(lines.filter((l) => l.includes(secret))).toEqual([]);
    await hostPid.close();
  }, 240_000);
});
