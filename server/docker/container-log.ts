// The engine's log of a container (`docker logs`): what its PID 1 wrote to stdout and stderr,
// kept by the log driver in a file on the host that nothing inside the container can reach.

/** Lines read from the end of the log: a flood cannot make a check read megabytes. */
export const LOG_TAIL_LINES = 2000;

/**
 * The text of a log read without a TTY. The engine multiplexes such logs: every frame has an
 * 8-byte header (stream 1 stdout or 2 stderr, three zero bytes, a big-endian length) before
 * its bytes. Both streams are kept, in the engine's order; a cut-off last frame is dropped.
 */
export function demuxLog(raw: Buffer): string {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length) {
    const stream = raw[at];
    const size = raw.readUInt32BE(at + 4);
    if ((stream !== 1 && stream !== 2) || at + 8 + size > raw.length) break;
    parts.push(raw.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}
