// What a terminal's shell is doing, seen from the host: when the fuzzed terminal goes silent,
// the report must say whether bash waits for input, is blocked writing (output stopped), or
// is gone, or a failure cannot be told apart from a flake.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { LABELS } from '../../server/docker/labels.ts';

const run = promisify(execFile);

async function output(file: string, args: string[]): Promise<string> {
  try {
    return (await run(file, args, { timeout: 10_000 })).stdout.trim();
  } catch (error) {
    return `(${file} ${args[0] ?? ''} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
}

/** One line per process in the terminal's container: host pid, state, kernel wait channel, tty flags. */
export async function describeShell(
  instance: string,
  sessionId: string,
  container: string,
): Promise<string> {
  const id = await output('docker', [
    'ps',
    '-q',
    '--filter',
    `label=${LABELS.instance}=${instance}`,
    '--filter',
    `label=${LABELS.session}=${sessionId}`,
    '--filter',
    `label=${LABELS.container}=${container}`,
  ]);
  if (!/^[0-9a-f]+$/.test(id)) return `no running container ${container}: ${id}`;
  const top = await output('docker', ['top', id, '-o', 'pid,stat,wchan:32,comm']);
  const lines = [top];
  for (const line of top.split('\n').slice(1)) {
    const [pid, , , comm] = line.trim().split(/\s+/);
    if (comm !== 'bash' || pid === undefined) continue;
    const stack = await readFile(`/proc/${pid}/stack`, 'utf8').catch(() => '(no stack)');
    const stty = await output('stty', ['-a', '-F', `/proc/${pid}/fd/0`]);
    const flags = stty.match(/-?(ixon|icanon|isig|echo)\b|rows \d+; columns \d+/g) ?? [];
    lines.push(
      `bash ${pid}: ${flags.join(' ')}; kernel stack: ${stack.split('\n').slice(0, 4).join(' < ')}`,
    );
  }
  return lines.join('\n');
}
