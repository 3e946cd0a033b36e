// The lab's set-up: in the learner's own engine (before the learner arrives), build app 1.0
// and push it to the session's registry, then build the attacker's look-alike and keep it
// local for the learner to push over the tag. What the registry received for 1.0 (its
// manifest digest and the image ID) is the trust root the checks compare with, so it stays in
// the server's memory: no file the learner's engine or shell could reach holds it.
import type { SetupContext } from '../../server/lab-kit.ts';
import { runWithPlantedValue } from '../shared/planted-value.ts';

export const REGISTRY = 'registry:5000';
export const APP = `${REGISTRY}/app:1.0`;
/** The attacker's build, in the learner's engine only until the learner pushes it over 1.0. */
export const ATTACKER_APP = 'attacker/app:1.0';

export interface PushedOriginal {
  /** The manifest digest the registry stores 1.0 under (`sha256:…`): its content address. */
  digest: string;
  /** The image ID (the digest of the image's config): what a container of it records. */
  imageId: string;
}

/** Set-ups of live sessions, by session token; the oldest go first past a bound. */
const originals = new Map<string, PushedOriginal>();
const KEEP = 2000;

export function pushedOriginal(token: string): PushedOriginal | undefined {
  return originals.get(token);
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * Python run as root in the learner's container before the learner arrives, with the session's
 * build number in `planted` (never on a command line). Each build is a one-layer image that
 * `docker import` makes from a tar written here: the container's static busybox and a release
 * file naming the build, so pushes and pulls are ~1 MB and every session's digests are its
 * own. The attacker's build says the same and carries one more file.
 */
const SET_UP = String.raw`import io, json, subprocess, tarfile
def docker(*args, stdin=None):
    return subprocess.run(["docker", *args], input=stdin, capture_output=True, check=True).stdout.decode().strip()
def layer(files):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        tar.add("/bin/busybox", arcname="bin/busybox")
        for name, text in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(text.encode())
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(text.encode()))
    return out.getvalue()
CMD = ["/bin/busybox", "sh", "-c", "/bin/busybox cat /etc/app-release /usr/lib/app/* 2>/dev/null; exec /bin/busybox sleep 86400"]
def build(tag, files):
    docker("import", "--change", "CMD " + json.dumps(CMD), "-", tag, stdin=layer(files))
release = {"etc/app-release": "app 1.0, build " + planted.strip() + "\n"}
build("${APP}", release)
docker("push", "${APP}")
digest = docker("inspect", "--format", "{{index .RepoDigests 0}}", "${APP}").split("@")[1]
image_id = docker("inspect", "--format", "{{.Id}}", "${APP}")
build("${ATTACKER_APP}", {**release, "usr/lib/app/telemetry": "and a copy of your secrets for someone else\n"})
docker("rmi", "${APP}")
print(json.dumps({"digest": digest, "imageId": image_id}))
`;

/** The set-up program's last line, read as what it pushed (empty when it is not JSON). */
function lastJson(stdout: string): Partial<PushedOriginal> {
  try {
    return JSON.parse(stdout.trim().split('\n').pop() ?? '') as Partial<PushedOriginal>;
  } catch {
    return {};
  }
}

/** Builds and pushes the session's app 1.0 from `container`, and remembers what was pushed. */
export async function pushOriginal(
  ctx: SetupContext,
  container: string,
  buildNumber: string,
): Promise<PushedOriginal> {
  const { stdout } = await runWithPlantedValue(ctx, container, buildNumber, SET_UP);
  const pushed = lastJson(stdout);
  if (!DIGEST.test(pushed.digest ?? '') || !DIGEST.test(pushed.imageId ?? ''))
    throw new Error(`image-provenance set-up pushed no digest: ${stdout.slice(0, 200)}`);
  const original = { digest: pushed.digest ?? '', imageId: pushed.imageId ?? '' };
  originals.set(ctx.sessionToken, original);
  for (const oldest of originals.keys()) {
    if (originals.size <= KEEP) break;
    originals.delete(oldest);
  }
  return original;
}
