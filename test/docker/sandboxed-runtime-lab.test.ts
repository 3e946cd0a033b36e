// The sandboxed-runtime lab attacked as a root learner would: each container's marker given to
// a process in the other one, a marker process killed before the check, the marker only
// written down. Every check still reads the host: its /proc, the container's cgroup, and the
// Sentry's task list through the host's runsc. Then the honest way, which passes.
import { describe, expect, it } from 'vitest';
import { markerOf } from '../../labs/sandboxed-runtime/markers.ts';
import { startTestServer } from '../support/test-server.ts';

/** Starts a process named `name` in the background, as the lesson does, from a symlink in /tmp. */
const startNamed = (name: string): string =>
  `ln -sf /bin/sleep /tmp/${name} && (/tmp/${name} 3600 &) && sleep 0.3`;

describe('sandboxed-runtime lab under attack', () => {
  it('finds a process in gVisor only through the Sentry, and a runc process only on the host', async (ctx) => {
    await using t = await startTestServer('test-sandbox-attacks');
    // Where the engine has no runsc the lab is unavailable, and verify says so instead.
    if (t.server.facts.runsc === undefined) ctx.skip();
    const session = await t.api.startSession('sandboxed-runtime');
    const { token } = t.server.sessions.get(session.id);
    const runcMarker = markerOf('runc', token);
    const gvisorMarker = markerOf('gvisor', token);
    const runc = await t.openTerminal(session.id, 'runc');
    const gvisor = await t.openTerminal(session.id, 'gvisor');

    // Each container reads only its own marker.
    expect(await runc.run('cat /nslab/marker')).toContain(runcMarker);
    expect(await gvisor.run('cat /nslab/marker')).toContain(gvisorMarker);
    expect(await runc.run('echo x > /nslab/marker 2>&1 || echo refused')).toContain('refused');

    // The runc marker on a process inside gVisor: not a host process of the runc container.
    await gvisor.run(startNamed(runcMarker));
    expect(await t.api.check(session.id, 'host-process')).toMatchObject({ passed: false });
    // The gVisor marker on a host process (the runc container): the host kernel runs it.
    await runc.run(startNamed(gvisorMarker));
    const hosted = await t.api.check(session.id, 'sandbox-process');
    expect(hosted).toMatchObject({ passed: false, hint: { index: 1 } });
    expect(hosted.reason).toMatch(/host PID \d+/);
    // ...and still when the sandbox runs one too: the host must run none of that name.
    await gvisor.run(startNamed(gvisorMarker));
    expect(await t.api.check(session.id, 'sandbox-process')).toMatchObject({ passed: false });
    await runc.run(`pkill -f ${gvisorMarker}; sleep 0.3`);
    const honest = await t.api.check(session.id, 'sandbox-process');
    expect(honest).toMatchObject({ passed: true });
    expect(honest.reason).toMatch(/runsc-sandbox \(PID \d+, Seccomp 2\)/);

    // A marker process that is gone no longer counts: the check samples the host now.
    await runc.run(startNamed(runcMarker));
    expect(await t.api.check(session.id, 'host-process')).toMatchObject({ passed: true });
    await runc.run(`pkill -f ${runcMarker}; sleep 0.3`);
    expect(await t.api.check(session.id, 'host-process')).toMatchObject({ passed: false });
    await Promise.all([runc.close(), gvisor.close()]);
  }, 180_000);
});
