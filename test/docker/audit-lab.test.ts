// The audit lab attacked as a root learner would: an emptied baseline to excuse an emptied
// /etc/passwd, the half-fix that forgets /etc/shadow, a fake dpkg that "verifies" another
// program, and a guess among the replaceable programs. Then the honest way, which passes.
// The logging exercise: a note in a file, the name in the wrong container's log, every name
// at once; then the honest record, which survives root's attempts to take it back.
import { describe, expect, it } from 'vitest';
import { backdoorAccount, REPLACEABLE, replacedProgram } from '../../labs/audit/drift.ts';
import { startTestServer } from '../support/test-server.ts';

describe('audit lab under attack', () => {
  it('judges files and drift from the host, whatever the learner does to the baseline or dpkg', async () => {
    await using t = await startTestServer('test-audit-attacks');
    const session = await t.api.startSession('audit');
    const { token } = t.server.sessions.get(session.id);
    const drifted = await t.openTerminal(session.id, 'drifted');
    const golden = await t.openTerminal(session.id, 'golden');

    // Empty both account files (root alone left): the back door is gone, and so is everyone.
    await golden.run("sed -i '/^root:/!d' /etc/passwd");
    await drifted.run("cp /etc/passwd /tmp/passwd.bak; sed -i '/^root:/!d' /etc/passwd");
    const emptied = await t.api.check(session.id, 'remove-backdoor');
    expect(emptied).toMatchObject({ passed: false });
    expect(emptied.reason).toMatch(/golden's \/etc\/passwd changed since the image/);
    await drifted.run('cp /tmp/passwd.bak /etc/passwd');

    // A fake dpkg on /dev (a tmpfs docker diff never lists) points at another program.
    const program = replacedProgram(token);
    const decoy = REPLACEABLE.find((p) => p !== program) ?? '';
    await drifted.run(
      `mkdir -p /dev/f && printf '#!/bin/sh\\necho "??5??????   ${decoy}"\\n' > /dev/f/dpkg && chmod +x /dev/f/dpkg`,
    );
    const fooled = /(\/usr\/bin\/[a-z]+)/.exec(await drifted.run('/dev/f/dpkg --verify'))?.[1];
    expect(fooled).toBe(decoy);
    expect(await t.api.check(session.id, 'replaced-program', fooled)).toMatchObject({
      passed: false,
      hint: { index: 0 },
    });
    // A path that did change (the account files), but is not the program.
    expect(await t.api.check(session.id, 'replaced-program', '/etc/passwd')).toMatchObject({
      passed: false,
      hint: { index: 1 },
    });

    // The honest way: the name from /etc/passwd's uid 0, dpkg's own verdict.
    const account = backdoorAccount(token);
    const found = await drifted.run(`awk -F: '$3 == 0 && $1 != "root" {print $1}' /etc/passwd`);
    expect(found).toContain(account);
    expect((await t.api.check(session.id, 'backdoor-account', account)).passed).toBe(true);
    const verified = await drifted.run("dpkg --verify 2>/dev/null | grep ' /usr/bin/'");
    expect(verified).toContain(program);
    expect((await t.api.check(session.id, 'replaced-program', program)).passed).toBe(true);
    // The golden baseline is still changed: reset the lab for an untouched one.
    const fresh = await t.api.reset(session.id);
    const again = await t.openTerminal(fresh.id, 'drifted');
    const freshAccount = backdoorAccount(t.server.sessions.get(fresh.id).token);
    // The half-fix: out of /etc/passwd, its hash left in /etc/shadow.
    await again.run(`sed -i '/^${freshAccount}:/d' /etc/passwd`);
    const half = await t.api.check(fresh.id, 'remove-backdoor');
    expect(half.reason).toMatch(/still in \/etc\/shadow/);
    await again.run(`sed -i '/^${freshAccount}:/d' /etc/shadow`);
    expect((await t.api.check(fresh.id, 'remove-backdoor')).passed).toBe(true);
    await Promise.all([drifted.close(), golden.close(), again.close()]);
  }, 120_000);

  it("reads the finding from the engine's log of drifted, which root inside cannot take back", async () => {
    await using t = await startTestServer('test-audit-log');
    const session = await t.api.startSession('audit');
    const account = backdoorAccount(t.server.sessions.get(session.id).token);
    const drifted = await t.openTerminal(session.id, 'drifted');
    const golden = await t.openTerminal(session.id, 'golden');
    const record = async (): Promise<{ passed: boolean; reason: string }> =>
      t.api.check(session.id, 'record-finding');

    // A note in a file, even one called a log, is the container's own file.
    await drifted.run(`mkdir -p /var/log/audit && echo ${account} > /var/log/audit/finding`);
    expect(await record()).toMatchObject({ passed: false });
    // The right name in the wrong container's log, and every name in the right one.
    await golden.run(`echo ${account} > /proc/1/fd/1`);
    expect(await record()).toMatchObject({ passed: false });
    await drifted.run('cut -d: -f1 /etc/passwd > /proc/1/fd/1');
    expect((await record()).reason).toMatch(/other accounts too/);

    const fresh = await t.api.reset(session.id);
    const again = await t.openTerminal(fresh.id, 'drifted');
    const freshAccount = backdoorAccount(t.server.sessions.get(fresh.id).token);
    await again.run(`awk -F: '$3 == 0 && $1 != "root" {print $1}' /etc/passwd > /proc/1/fd/1`);
    const recorded = await t.api.check(fresh.id, 'record-finding');
    expect(recorded).toMatchObject({ passed: true });
    expect(recorded.reason).toContain(freshAccount);
    // Root inside tries to take it back: truncating PID 1's stdout, flooding the log with other
    // lines is what would work, and it is bounded by max-size, not by anything in the container.
    await again.run(': > /proc/1/fd/1; : > /proc/1/fd/2; rm -rf /var/log/*');
    expect(await t.api.check(fresh.id, 'record-finding')).toMatchObject({ passed: true });
    await Promise.all([drifted.close(), golden.close(), again.close()]);
  }, 120_000);
});
