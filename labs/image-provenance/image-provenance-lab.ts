// Image provenance (recommendation 1, and the essay's "image provenance": digests, content
// trust). The learner drives a Docker engine of their own (a throwaway dockerd on the host,
// in the network namespace of a helper on the session's internal network) against a registry
// of their own (Debian's docker-registry, in a container on that network). Set-up pushes
// app 1.0 and keeps an attacker's look-alike in the engine; the learner pins 1.0 by digest,
// moves the tag as the attacker, and runs the original by digest. Checks read the registry's
// storage through the host and the engine's API, and compare with what set-up pushed, which
// only the server remembers.
//
// The learner's engine is root on the host, as in escape-docker-sock: solo mode's VM is the
// boundary, and in a workshop the lab is not offered (escape: true, no workshop mode).
import { createHash } from 'node:crypto';
import type { CheckContext, CheckOutcome, LabDefinition } from '../../server/lab-kit.ts';
import { SOCKET_ENGINE } from '../../server/lab-kit.ts';
import { APP, ATTACKER_APP, pushedOriginal, pushOriginal, REGISTRY } from './pushed-original.ts';
import {
  holdsManifest,
  REGISTRY_CONFIG,
  REGISTRY_CONTAINER,
  STORAGE,
  tagTarget,
} from './registry-storage.ts';
import { t } from '../shared/localized.ts';
import { CONTAINERS, LAB, PIN, RUN_PINNED } from './texts.ts';

const NETWORK = 'lab-net';
const CLI = 'cli';
const DOCKER_HOST = 'docker-host';
const DIGEST = /sha256:[0-9a-f]{64}/;
const DIGEST_LINE = /(sha256:[0-9a-f]{64})/;

/** The session's build number: a label of its builds, so its digests are its own. */
function buildNumber(token: string): string {
  return createHash('sha256').update(`image-provenance ${token}`).digest('hex').slice(0, 16);
}

export const PIN_STEP = `docker pull ${APP} && docker inspect --format '{{index .RepoDigests 0}}' ${APP} | tee /root/pinned`;
const MOVE_TAG = `docker tag ${ATTACKER_APP} ${APP}; docker push ${APP}`;
export const RUN_PINNED_STEP = `${MOVE_TAG}; docker rm -f pinned >/dev/null 2>&1; docker run -d --name pinned "$(cat /root/pinned)"; sleep 1; docker logs pinned`;
/** The attacker's move, then the tag pulled and run: the tampered image. */
export const RUN_BY_TAG_STEP = `${MOVE_TAG}; docker pull ${APP}; docker rm -f by-tag >/dev/null 2>&1; docker run -d --name by-tag ${APP}`;

async function judgePin(ctx: CheckContext, answer: string | undefined): Promise<CheckOutcome> {
  const original = pushedOriginal(ctx.sessionToken);
  if (original === undefined) throw new Error('image-provenance: no set-up for this session');
  const said = DIGEST.exec(answer ?? '')?.[0];
  if (said === undefined) return { passed: false, reason: PIN.isTag, hint: 0 };
  if (said === original.imageId) return { passed: false, reason: PIN.isImageId, hint: 1 };
  const held = await holdsManifest(ctx, said);
  if (said === original.digest && held) return { passed: true, reason: PIN.right };
  if (held) return { passed: false, reason: PIN.isTampered, hint: 1 };
  return { passed: false, reason: PIN.isOther, hint: 0 };
}

async function judgeRunPinned(ctx: CheckContext): Promise<CheckOutcome> {
  const original = pushedOriginal(ctx.sessionToken);
  if (original === undefined) throw new Error('image-provenance: no set-up for this session');
  if ((await tagTarget(ctx, '1.0')) === original.digest)
    return { passed: false, reason: RUN_PINNED.notMoved, hint: 0 };
  const running = (await ctx.sessionEngine(SOCKET_ENGINE).containers()).filter(
    (c) => c.State.Running,
  );
  const originals = running.filter((c) => c.Image === original.imageId);
  // Asked for by digest: one started by tag before the tag moved runs the original by luck.
  const pinned = originals.find((c) => c.Config.Image.endsWith(`@${original.digest}`));
  if (pinned !== undefined) {
    return {
      passed: true,
      reason: t(
        `${RUN_PINNED.right.en} (${pinned.Name.replace(/^\//, '')}: image ${original.imageId.slice(0, 19)}…)`,
        `${RUN_PINNED.right.zh}（${pinned.Name.replace(/^\//, '')}：镜像 ${original.imageId.slice(0, 19)}…）`,
      ),
    };
  }
  if (originals.length > 0) return { passed: false, reason: RUN_PINNED.byTag, hint: 1 };
  if (running.length > 0) return { passed: false, reason: RUN_PINNED.tampered, hint: 1 };
  return { passed: false, reason: RUN_PINNED.nothing, hint: 2 };
}

export const imageProvenanceLab: LabDefinition = {
  id: 'image-provenance',
  title: LAB.title,
  topic: 'image provenance',
  summary: LAB.summary,
  minutes: 15,
  learned: LAB.learned,
  lesson: 'image-provenance.md',
  // Not an escape in what it teaches, but its learner drives a root engine, as escape-docker-sock's does.
  escape: true,
  sessionEngines: [
    {
      name: SOCKET_ENGINE,
      joins: { container: DOCKER_HOST },
      insecureRegistries: [REGISTRY],
      // Set-up imports its images from a tar: the engine needs no copy of the lab image.
      image: false,
    },
  ],
  networks: [{ name: NETWORK }],
  volumes: ['registry-data'],
  hostFiles: [{ path: 'registry.yml', content: REGISTRY_CONFIG, mode: 0o644 }],
  containers: [
    {
      name: CLI,
      title: CONTAINERS.cli,
      hostname: CLI,
      networkMode: { network: NETWORK },
      sessionEngineSocket: '/var/run/docker.sock',
      memoryMb: 128,
      pidsLimit: 128,
      cpus: 0.5,
    },
    {
      name: REGISTRY_CONTAINER,
      title: CONTAINERS.registry,
      terminal: false,
      hostname: REGISTRY_CONTAINER,
      command: ['docker-registry', 'serve', '/etc/nslab/registry.yml'],
      networkMode: { network: NETWORK },
      user: 'docker-registry',
      capDrop: ['ALL'],
      securityOpt: ['no-new-privileges'],
      readonlyRootfs: true,
      sessionDirMounts: [
        { source: 'registry.yml', target: '/etc/nslab/registry.yml', readOnly: true },
      ],
      volumes: [{ volume: 'registry-data', target: STORAGE }],
      memoryMb: 128,
      pidsLimit: 64,
      cpus: 0.5,
    },
    {
      name: DOCKER_HOST,
      title: CONTAINERS.dockerHost,
      terminal: false,
      hostname: DOCKER_HOST,
      networkMode: { network: NETWORK },
      user: 'nobody',
      capDrop: ['ALL'],
      securityOpt: ['no-new-privileges'],
      readonlyRootfs: true,
      memoryMb: 32,
      pidsLimit: 16,
      cpus: 0.25,
    },
  ],
  setup: async (ctx) => {
    await pushOriginal(ctx, CLI, buildNumber(ctx.sessionToken));
  },
  exercises: [
    {
      id: 'pin-by-digest',
      title: PIN.title,
      goal: PIN.goal,
      answer: { label: PIN.label, placeholder: PIN.placeholder },
      hints: PIN.hints,
      check: judgePin,
      cheat: [
        { terminal: CLI, input: `echo ${APP}`, capture: /(registry:5000\/app:1\.0)/ },
        {
          terminal: CLI,
          input: `docker pull ${APP} >/dev/null; docker inspect --format '{{.Id}}' ${APP}`,
          capture: DIGEST_LINE,
        },
      ],
      solution: [{ terminal: CLI, input: PIN_STEP, capture: DIGEST_LINE }],
    },
    {
      id: 'run-by-digest',
      title: RUN_PINNED.title,
      goal: RUN_PINNED.goal,
      hints: RUN_PINNED.hints,
      check: judgeRunPinned,
      cheat: [{ terminal: CLI, input: RUN_BY_TAG_STEP }],
      solution: [{ terminal: CLI, input: RUN_PINNED_STEP }],
    },
  ],
};
