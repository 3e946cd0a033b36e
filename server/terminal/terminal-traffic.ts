// Who hears how many bytes cross terminal WebSockets and which sockets open and close (the
// metrics). The gateway and the terminals tell it; it never decides anything.
export interface TerminalTraffic {
  /** Bytes a browser typed, handed to the shell. */
  input(bytes: number): void;
  /** Bytes sent to a browser: live output and replayed scrollback. */
  output(bytes: number): void;
  socketOpened(kind: 'terminal' | 'watch'): void;
  socketClosed(kind: 'terminal' | 'watch'): void;
}

export const NO_TRAFFIC: TerminalTraffic = {
  input: () => undefined,
  output: () => undefined,
  socketOpened: () => undefined,
  socketClosed: () => undefined,
};
