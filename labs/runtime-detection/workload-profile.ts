// The workload's seccomp profile, nslab-workload.json, as the engine gets it. Docker's default
// profile refuses unshare to a container without CAP_SYS_ADMIN, and the planted intruder
// needs one; unconfined would hand the rest of the kernel to anyone who can ptrace the
// workload, which the learner's monitor can. So: allow by default, refuse the calls Docker's
// default refuses a capless container (mount, keyctl, bpf, ptrace, setns, io_uring, ...),
// refuse every clone that makes a namespace, and allow unshare with exactly a user and a UTS
// namespace. test/docker/runtime-detection-lab.test.ts measures what it refuses.
import { readFileSync } from 'node:fs';

export const WORKLOAD_PROFILE_NAME = 'nslab-workload.json';
/** The profile exactly as shipped, compacted for the engine. */
export const WORKLOAD_PROFILE_JSON = JSON.stringify(
  JSON.parse(
    readFileSync(new URL(`./${WORKLOAD_PROFILE_NAME}`, import.meta.url), 'utf8'),
  ) as unknown,
);
