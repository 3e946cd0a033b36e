// The image-provenance lab attacked as a root learner would, from the cli container with the
// engine the lab hands them: answers that look like a digest (the tag, the image ID, another
// session's digest), a tag that cannot be made of a digest, the tampered image started under
// the pinned name, the original created but not running, and a look through the learner's
// engine for the registry's storage, which lives on the server's engine where that engine's
// mount namespace does not show it. Then the honest way, which passes, and nothing is left.
import { describe, expect, it } from 'vitest';
import { pushedOriginal } from '../../labs/image-provenance/pushed-original.ts';
import { labelled, startTestServer } from '../support/test-server.ts';

const INSTANCE = 'test-prov-attacks';
const APP = 'registry:5000/app:1.0';

describe('image-provenance lab under attack', () => {
  it('judges digests and running images from the registry and the engine, not from the learner', async () => {
    await using t = await startTestServer(INSTANCE);
    const started = performance.now();
    const session = await t.api.startSession('image-provenance');
    const startMs = Math.round(performance.now() - started);
    console.log(`image-provenance session started in ${startMs} ms`);
    const other = await t.api.startSession('image-provenance');
    const { token } = t.server.sessions.get(session.id);
    const original = pushedOriginal(token);
    const otherOriginal = pushedOriginal(t.server.sessions.get(other.id).token);
    expect(original?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // Every session's build carries its own number: its digest is no use to anyone else.
    expect(otherOriginal?.digest).not.toBe(original?.digest);
    const digest = original?.digest ?? '';
    const cli = await t.openTerminal(session.id, 'cli');

    // The registry: on the session's internal network, no port on the host.
    const registryId = t.server.sessions.get(session.id).containers.get('registry')?.id ?? '';
    const registry = await t.docker.getContainer(registryId).inspect();
    expect(registry.HostConfig.PortBindings ?? {}).toEqual({});
    expect(Object.keys(registry.NetworkSettings.Networks)).toHaveLength(1);
    expect(registry.Config.User).toBe('docker-registry');
    // Another session's learner, root on their own network, cannot reach this registry.
    const address = Object.values(registry.NetworkSettings.Networks)[0]?.IPAddress ?? '';
    expect(address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const stranger = await t.openTerminal(other.id, 'cli');
    const reached = await stranger.run(
      `curl -s -m 3 -o /dev/null http://${address}:5000/v2/; echo "curl exit code $?"`,
    );
    expect(reached).toMatch(/curl exit code (7|28)/);
    await stranger.close();

    // Look-alike answers: the tag, the image ID, the other session's digest.
    expect(await t.api.check(session.id, 'pin-by-digest', APP)).toMatchObject({
      passed: false,
      hint: { index: 0 },
    });
    const imageId = /(sha256:[0-9a-f]{64})/.exec(
      await cli.run(`docker pull ${APP} >/dev/null; docker inspect --format '{{.Id}}' ${APP}`),
    )?.[1];
    expect(imageId).toBe(original?.imageId);
    expect(await t.api.check(session.id, 'pin-by-digest', imageId)).toMatchObject({
      passed: false,
      hint: { index: 1 },
    });
    expect(
      (await t.api.check(session.id, 'pin-by-digest', otherOriginal?.digest ?? '')).passed,
    ).toBe(false);

    // The registry's storage through the learner's engine: a bind of the server engine's
    // volumes shows nothing (a tmpfs covers its data root in that engine's mount namespace).
    const seen = await cli.run(
      "docker run --rm -v /var/lib/docker:/d --entrypoint /bin/busybox attacker/app:1.0 sh -c 'echo entries=$(/bin/busybox find /d | /bin/busybox wc -l)'",
    );
    expect(seen).toMatch(/^entries=1$/m);

    // Move the tag, then dress the tampered image up as the pinned one.
    await cli.run(`docker tag attacker/app:1.0 ${APP}; docker push ${APP} >/dev/null`);
    const refused = await cli.run(`docker tag attacker/app:1.0 registry:5000/app@${digest}`);
    expect(refused).toMatch(/refusing to create a tag with a digest reference/);
    await cli.run('docker run -d --name pinned attacker/app:1.0 >/dev/null');
    expect(await t.api.check(session.id, 'run-by-digest')).toMatchObject({ passed: false });
    // The original, by digest, created but never started.
    await cli.run(`docker rm -f pinned >/dev/null; docker create --name pinned ${APP}@${digest}`);
    await cli.run(`docker create --name pinned2 registry:5000/app@${digest} >/dev/null`);
    const created = await t.api.check(session.id, 'run-by-digest');
    expect(created).toMatchObject({ passed: false });
    expect(created.reason).toMatch(/No running container/);

    // The honest way.
    await cli.run(`echo registry:5000/app@${digest} > /root/pinned`);
    expect((await t.api.check(session.id, 'pin-by-digest', digest)).passed).toBe(true);
    await cli.run('docker start pinned2 >/dev/null');
    const passed = await t.api.check(session.id, 'run-by-digest');
    expect(passed.passed, passed.reason).toBe(true);

    await cli.close();
    await t.api.endSession(session.id);
    await t.api.endSession(other.id);
    expect(await t.server.leftovers(session.id)).toEqual([]);
    expect(await labelled(t.docker, INSTANCE, session.id)).toEqual([]);
  }, 240_000);
});
