// The seccomp lab's which-syscall check compares the learner's answer with CHMOD_SYSCALL, the
// call Debian's chmod(1) in the lab image makes: the server cannot watch the learner's own
// chmod, and a strace it ran in their container would be theirs to replace. This measures it
// where no learner has been: a fresh container of the lab image, under the lab's profile.
import Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { CHMOD_SYSCALL, PROFILE_JSON, refusedSyscalls } from '../../labs/seccomp/seccomp-lab.ts';
import { labImageSpecs, specNamed } from '../../server/images/image-specs.ts';
import { REPO_ROOT } from '../../server/repo-root.ts';

const docker = new Dockerode();

/** Runs `cmd` to completion in a new container of the lab image under `securityOpt`. */
async function runInImage(cmd: string[], securityOpt: string[]): Promise<string> {
  const container = await docker.createContainer({
    Image: specNamed(labImageSpecs(REPO_ROOT), 'lab').tag,
    Cmd: cmd,
    Labels: { 'nslab.instance': 'test-seccomp-image' },
    HostConfig: { SecurityOpt: securityOpt, NetworkMode: 'none', Memory: 64 * 1024 * 1024 },
  });
  try {
    await container.start();
    await container.wait();
    const logs = await container.logs({ stdout: true, stderr: false });
    // Without a TTY the engine frames each chunk with an 8-byte header.
    const chunks: string[] = [];
    for (let at = 0; at + 8 <= logs.length;) {
      const size = logs.readUInt32BE(at + 4);
      chunks.push(logs.subarray(at + 8, at + 8 + size).toString('utf8'));
      at += 8 + size;
    }
    return chunks.join('');
  } finally {
    await container.remove({ force: true });
  }
}

describe("the lab image's chmod", () => {
  it(`calls ${CHMOD_SYSCALL}, which the no-chmod profile refuses, and nothing else of the list`, async () => {
    const trace = await runInImage(
      ['strace', '-o', '/dev/stdout', '-e', 'trace=/chmod', 'chmod', '755', '/'],
      [`seccomp=${PROFILE_JSON}`],
    );
    expect(refusedSyscalls(trace)).toEqual([CHMOD_SYSCALL]);
  });
});
