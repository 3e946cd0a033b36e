// Set-up that needs a per-session value (a file name, a capability, a uid, a queue key) must
// not put it on a command line: any process on the host, a learner's --pid=host shell in
// another session included, reads every /proc/<pid>/cmdline. So the server writes the value
// into the container from the host's side (the engine's archive API), and a constant Python
// program reads it, deletes it, and does the work in its own process, passing the value to no
// other program's argv. Every session's set-up then leaves the same command lines.
import type { SetupContext } from '../../server/lab-kit.ts';

/** In the container's own file system (the engine writes beneath any tmpfs), root-only. */
const VALUE_FILE = '/root/.nslab-setup-value';

/** Python that defines `planted`: the value, read once, its file already gone. */
const READ_PLANTED = `import os
with open(${JSON.stringify(VALUE_FILE)}) as _f:
    planted = _f.read()
os.unlink(${JSON.stringify(VALUE_FILE)})
`;

/**
 * Plants `value`, then runs `program` (Python that uses `planted`) as root in `container`;
 * resolves to what it printed.
 */
export async function runWithPlantedValue(
  ctx: SetupContext,
  container: string,
  value: string,
  program: string,
): Promise<{ exitCode: number; stdout: string }> {
  await ctx.putFile(container, VALUE_FILE, value);
  return ctx.exec(container, ['python3', '-c', READ_PLANTED + program]);
}

/**
 * Python that starts `program` as a daemon outside the exec's session (the exec returns at
 * once), after `prepare` (Python run in the child before exec, for example dropping a
 * capability or a uid); argv[0] is the name the process shows.
 */
export function daemonProgram(prepare: string, program: string, argv: string[]): string {
  const body = prepare
    .trim()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  return `import sys
if os.fork() == 0:
    os.setsid()
    fd = os.open("/dev/null", os.O_RDWR)
    for target in (0, 1, 2):
        os.dup2(fd, target)
${body}
    os.execvp(${JSON.stringify(program)}, ${JSON.stringify(argv)})
sys.exit(0)
`;
}
