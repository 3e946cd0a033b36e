// TerminalDriver.run's reading of a transcript, on text captured from real bash sessions:
// the normal case, the type-ahead case (the command echoed twice), and the marker's echo
// landing inside a command's output.
import { describe, expect, it } from 'vitest';
import { commandOutput, stripAnsi } from '../../server/verify/terminal-driver.ts';

const PROMPT = '\u001b[?2004h\u001b[1;32mroot@nslab-uts\u001b[0m:\u001b[1;34m~\u001b[0m# ';
const read = (raw: string, command: string, marker: string): string =>
  commandOutput(stripAnsi(raw), command, marker);

describe('commandOutput', () => {
  it('reads the lines between the echo and the marker', () => {
    const raw =
      'echo bystander-2\r\n\u001b[?2004l\rbystander-2\r\n' +
      `${PROMPT}printf '%s_%s\\n' NSLAB_DONE 2\r\n\u001b[?2004l\rNSLAB_DONE_2\r\n${PROMPT}`;
    expect(read(raw, 'echo bystander-2', 'NSLAB_DONE_2')).toBe('bystander-2');
  });

  it('drops both echoes of a command typed before bash was back in readline', () => {
    // Captured in the fuzz run: the kernel echoed the type-ahead, then readline again.
    const raw =
      "echo bystander-2\r\nprintf '%s_%s\\n' NSLAB_DONE 2\r\n" +
      `${PROMPT}echo bystander-2\r\n\u001b[?2004l\rbystander-2\r\n` +
      `${PROMPT}printf '%s_%s\\n' NSLAB_DONE 2\r\n\u001b[?2004l\rNSLAB_DONE_2\r\n`;
    expect(read(raw, 'echo bystander-2', 'NSLAB_DONE_2')).toBe('bystander-2');
  });

  it('keeps a multi-line output whole and drops a marker echo inside it', () => {
    const raw =
      `${PROMPT}seq 3; sleep 1\r\n1\r\n2\r\nprintf '%s_%s\\n' NSLAB_DONE 7\r\n3\r\n` +
      `${PROMPT}printf '%s_%s\\n' NSLAB_DONE 7\r\nNSLAB_DONE_7\r\n`;
    expect(read(raw, 'seq 3; sleep 1', 'NSLAB_DONE_7')).toBe('1\n2\n3');
  });

  it('gives an empty string for a command that prints nothing', () => {
    const raw = `${PROMPT}true\r\n${PROMPT}printf '%s_%s\\n' NSLAB_DONE 3\r\nNSLAB_DONE_3\r\n`;
    expect(read(raw, 'true', 'NSLAB_DONE_3')).toBe('');
  });
});
