// The entry point of the load, fuzz, faults and VM smoke scripts: exit with main's code, or print what
// went wrong (with its stack: these are developer tools) and exit 1.
export function runScript(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
