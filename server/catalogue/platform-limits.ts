// The platform's resource policy: what every learner container gets, and the most a lab may ask for.
/** Applied to every learner container; a lab may ask for less, never for more. */
export const PLATFORM_LIMITS = {
  memoryMb: { default: 256, max: 1024 },
  pidsLimit: { default: 256, max: 1024 },
  cpus: { default: 1, max: 2 },
  /** Bounded json-file logs so a noisy container cannot fill the host's disk. */
  logMaxSize: '1m',
  logMaxFile: '1',
} as const;
