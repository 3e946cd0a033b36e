// The registry's own record, read by the server on the host: Distribution's filesystem
// storage in the registry container's volume, through /proc/<pid>/root. The volume lives on
// the server's engine, which the learner's engine cannot see; the learner has no shell in the
// registry container and reaches it only through the registry's HTTP API, which writes these
// files the way the registry means to.
import type { CheckContext } from '../../server/lab-kit.ts';

export const REGISTRY_CONTAINER = 'registry';
export const STORAGE = '/var/lib/docker-registry';
const REPOSITORY = `${STORAGE}/docker/registry/v2/repositories/app/_manifests`;

const DIGEST = /^sha256:([0-9a-f]{64})$/;

/** The manifest digest the registry's tag app:<tag> points at now, if the tag exists. */
export async function tagTarget(ctx: CheckContext, tag: string): Promise<string | undefined> {
  const link = await ctx
    .container(REGISTRY_CONTAINER)
    .readFile(`${REPOSITORY}/tags/${tag}/current/link`);
  const digest = link?.trim();
  return digest !== undefined && DIGEST.test(digest) ? digest : undefined;
}

/** Whether the registry stores a manifest of app with this digest (a revision of the repository). */
export async function holdsManifest(ctx: CheckContext, digest: string): Promise<boolean> {
  const hex = DIGEST.exec(digest)?.[1];
  if (hex === undefined) return false;
  const link = await ctx
    .container(REGISTRY_CONTAINER)
    .readFile(`${REPOSITORY}/revisions/sha256/${hex}/link`);
  return link?.trim() === digest;
}

/** The registry's settings: filesystem storage in the volume, plain HTTP on :5000, no auth. */
export const REGISTRY_CONFIG = `version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: ${STORAGE}
http:
  addr: :5000
`;
