// The image-provenance lab's judgement on plain evidence: what set-up pushed (recorded from its
// output), the registry's storage as the host reads it, the learner's engine's containers.
import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { imageProvenanceLab } from '../../labs/image-provenance/image-provenance-lab.ts';
import { pushOriginal } from '../../labs/image-provenance/pushed-original.ts';
import type { CheckContext, SetupContext } from '../../server/lab-kit.ts';
import { fakeCheckContext } from './support/fake-check-context.ts';

const ORIGINAL = `sha256:${'a'.repeat(64)}`;
const TAMPERED = `sha256:${'b'.repeat(64)}`;
const IMAGE_ID = `sha256:${'c'.repeat(64)}`;
const TAMPERED_ID = `sha256:${'d'.repeat(64)}`;
const MANIFESTS = '/var/lib/docker-registry/docker/registry/v2/repositories/app/_manifests';

/** Set-up as the lab runs it, with the engine's answers faked. */
async function setUp(token: string, printed: string): Promise<void> {
  const ctx: SetupContext = {
    sessionToken: token,
    has: () => true,
    putFile: () => Promise.resolve(),
    exec: () => Promise.resolve({ exitCode: 0, stdout: printed }),
  };
  await pushOriginal(ctx, 'cli', '0123456789abcdef');
}

function running(image: string, reference: string): Dockerode.ContainerInspectInfo {
  return {
    Name: '/pinned',
    Image: image,
    State: { Running: true },
    Config: { Image: reference },
  } as unknown as Dockerode.ContainerInspectInfo;
}

/** A check context with the registry's tag and revisions, and the engine's containers. */
function evidence(tag: string, containers: Dockerode.ContainerInspectInfo[]): CheckContext {
  const texts: Record<string, string> = {
    [`${MANIFESTS}/tags/1.0/current/link`]: tag,
    [`${MANIFESTS}/revisions/sha256/${'a'.repeat(64)}/link`]: ORIGINAL,
    [`${MANIFESTS}/revisions/sha256/${'b'.repeat(64)}/link`]: TAMPERED,
  };
  const { ctx } = fakeCheckContext({ containers: { registry: { texts } } });
  return {
    ...ctx,
    sessionEngine: () => ({
      containers: () => Promise.resolve(containers),
      info: () => Promise.reject(new Error('not asked')),
      log: () => Promise.reject(new Error('not asked')),
    }),
  };
}

const [pin, runPinned] = imageProvenanceLab.exercises;

describe('image-provenance lab', () => {
  it('refuses a set-up that printed no digests', async () => {
    await expect(setUp('other', 'Error response from daemon')).rejects.toThrow(/no digest/);
  });

  it('takes the manifest digest the registry holds for what set-up pushed, and nothing like it', async () => {
    await setUp('feedface', JSON.stringify({ digest: ORIGINAL, imageId: IMAGE_ID }));
    const ctx = evidence(ORIGINAL, []);
    const judge = (answer: string) => pin?.check(ctx, answer);
    expect(await judge(`registry:5000/app@${ORIGINAL}`)).toMatchObject({ passed: true });
    expect(await judge('registry:5000/app:1.0')).toMatchObject({ passed: false, hint: 0 });
    expect(await judge(IMAGE_ID)).toMatchObject({ passed: false, hint: 1 });
    // The digest the tag was moved to is in the registry too, but it is not 1.0 as pushed.
    expect(await judge(TAMPERED)).toMatchObject({ passed: false, reason: /moved to/ });
    expect(await judge(`sha256:${'e'.repeat(64)}`)).toMatchObject({ passed: false, hint: 0 });
  });

  it('wants the tag moved and the original running by digest', async () => {
    await setUp('feedface', JSON.stringify({ digest: ORIGINAL, imageId: IMAGE_ID }));
    const byDigest = running(IMAGE_ID, `registry:5000/app@${ORIGINAL}`);
    const judge = (tag: string, containers: Dockerode.ContainerInspectInfo[]) =>
      runPinned?.check(evidence(tag, containers), undefined);
    expect(await judge(ORIGINAL, [byDigest])).toMatchObject({ passed: false, hint: 0 });
    expect(await judge(TAMPERED, [])).toMatchObject({ passed: false, hint: 2 });
    expect(await judge(TAMPERED, [running(TAMPERED_ID, 'registry:5000/app:1.0')])).toMatchObject({
      passed: false,
      reason: /attacker/,
    });
    expect(await judge(TAMPERED, [running(IMAGE_ID, 'registry:5000/app:1.0')])).toMatchObject({
      passed: false,
      reason: /by tag/,
    });
    const stopped = { ...byDigest, State: { Running: false } } as Dockerode.ContainerInspectInfo;
    expect(await judge(TAMPERED, [stopped])).toMatchObject({ passed: false, hint: 2 });
    expect(await judge(TAMPERED, [byDigest])).toMatchObject({ passed: true });
  });
});
