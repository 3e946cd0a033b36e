// The lsm lab on this engine, and the ways a root learner could try to put a denial into the
// kernel's log. Where the engine reports no AppArmor (these machines) the mount exercise is
// unavailable: no SYS_ADMIN container is made, its Check and Show me answer 409, and the two
// label exercises still fail and pass. The attacks run on any host: an audit user message
// from a default container (CAP_AUDIT_WRITE) does land in the kernel's log, text of its
// choosing, and `dmesg` even prints part of it as a line of its own; the check, which reads
// whole /dev/kmsg records, does not take it. /dev/kmsg itself and syslog(2) stay shut.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findDenial, mountPoint } from '../../labs/lsm/kernel-audit.ts';
import { FORGE_AUDIT } from '../../labs/lsm/mount-denial.ts';
import { readKernelLog } from '../../server/host/kernel-log.ts';
import { ApiRequestError } from '../../server/protocol/api-client.ts';
import { labelled, startTestServer } from '../support/test-server.ts';

/** What a refused request threw: its status. */
async function statusOf(promise: Promise<unknown>): Promise<number | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => (error instanceof ApiRequestError ? error.status : -1),
  );
}

/** Python sending an audit user message whose text has a newline and then a whole fake record. */
function forgeTwoLines(point: string): string {
  const record =
    '"x"+chr(10)+"audit: type=1400 audit(%.3f:1): apparmor=%sDENIED%s operation=%smount%s profile=%sdocker-default%s name=%s' +
    `${point}/` +
    '%s comm=%smount%s" % ((time.time(),)+(q,)*10)';
  return `python3 -c 'import socket,struct,time;q=chr(34);m=(${record}).encode()+bytes(1);s=socket.socket(16,3,9);s.bind((0,0));s.send(struct.pack("=IHHII",16+len(m),1107,5,1,0)+m)'; echo "sent $?"`;
}

describe('lsm lab', () => {
  it('runs the label exercises both ways, and the mount exercise only where AppArmor is', async () => {
    await using t = await startTestServer('test-lsm-lab');
    const session = await t.api.startSession('lsm');
    const mount = session.exercises.find((e) => e.id === 'mount-denied');
    const made = (await labelled(t.docker, 'test-lsm-lab', session.id)).map((c) => c.Labels);
    if (t.server.facts.apparmor) {
      expect(mount?.unavailable).toBeUndefined();
      expect(made).toHaveLength(4);
    } else {
      expect(mount?.unavailable).toMatch(/reports no AppArmor/);
      expect(session.terminals.map((x) => x.name)).toEqual(['default', 'unconfined']);
      expect(made).toHaveLength(2);
      expect(session.lessonHtml).not.toContain('data-container="mount-confined"');
      expect(await statusOf(t.api.check(session.id, 'mount-denied'))).toBe(409);
      expect(await statusOf(t.api.skip(session.id, 'mount-denied'))).toBe(409);
    }
    // The label exercises, both ways: the wrong label fails, the one the shell reads passes.
    const shell = await t.openTerminal(session.id, 'default');
    const label = /^(\S[^\n]*?)\s*$/m.exec(
      await shell.run('cat /proc/self/attr/current 2>/dev/null || echo none'),
    )?.[1];
    expect((await t.api.check(session.id, 'shell-label', 'unconfined')).passed).toBe(false);
    expect((await t.api.check(session.id, 'shell-label', label)).passed).toBe(true);
    await shell.close();
  }, 120_000);

  it('keeps a forged denial out of the check, and /dev/kmsg and syslog(2) shut, for a root learner', async () => {
    await using t = await startTestServer('test-lsm-attacks');
    const session = await t.api.startSession('lsm');
    const point = mountPoint(t.server.sessions.get(session.id).token);
    const shell = await t.openTerminal(session.id, 'default');
    // Suppose the learner learnt the mount point: plant it here and forge its denial.
    await shell.run(`mkdir -p ${point}`);
    await shell.run(`python3 -c '${FORGE_AUDIT}'; echo "sent $?"`);
    expect(await shell.run(forgeTwoLines(point))).toContain('sent 0');
    // The device and the system call: both refused to Docker's default capabilities.
    expect(await shell.run('mknod /tmp/kmsg c 1 11 && echo forged > /tmp/kmsg')).toMatch(
      /Operation not permitted/,
    );
    expect(await shell.run('dmesg | tail -1')).toMatch(/Operation not permitted/);
    await shell.close();

    const log = await readKernelLog();
    const forged = log.filter((r) => r.text.includes(`name="${point}/"`));
    // They landed, as type 1107 user messages, the newline kept as an escape in one record.
    expect(forged.length).toBeGreaterThanOrEqual(2);
    for (const record of forged) expect(record.text).toMatch(/^audit: type=1107 /);
    expect(forged.some((r) => r.text.includes('\\x0aaudit: type=1400'))).toBe(true);
    // dmesg prints the forged record on a line of its own: a grep of its output is fooled.
    const dmesg = execFileSync('dmesg', { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(dmesg).toMatch(new RegExp(`^\\s*audit: type=1400 .*name="${point}/"`, 'm'));
    // The check's reading is not.
    const started = Date.parse(
      (
        await t.docker
          .getContainer((await labelled(t.docker, 'test-lsm-attacks', session.id))[0]?.Id ?? '')
          .inspect()
      ).State.StartedAt,
    );
    const texts = log.map((r) => r.text);
    expect(
      findDenial(texts, { mountPoint: point, sinceMs: started, profile: 'docker-default' }),
    ).toBeUndefined();
  }, 120_000);
});
