// The VM smoke scripts print each step with the seconds since they began: under qemu's
// emulation, where the time goes is half of what the run reports.
export function stepLogger(name: string): (what: string) => void {
  const started = performance.now();
  return (what) => {
    process.stdout.write(
      `${name}: ${((performance.now() - started) / 1000).toFixed(1)} s  ${what}\n`,
    );
  };
}
