#!/usr/bin/env -S npx tsx
// nslab's command line: serve (the product), images (build lab images), verify (prove
// every lab both ways), preflight and export (a workshop's before and after), sweep (remove
// what a crashed server left on the engine).
import { loadConfig } from '../config.ts';
import { ImageClient } from '../docker/image-client.ts';
import { mainEngine } from '../docker/main-engine.ts';
import { ensureLabImages } from '../images/lab-images.ts';
import { log } from '../log.ts';
import { NslabServer } from '../nslab-server.ts';
import { connectProvisioning } from '../provisioning/connect-provisioning.ts';
import { sweepLeftovers } from '../provisioning/sweep-leftovers.ts';
import { formatVerdict } from '../verify/verify-lab.ts';
import { verifyLabs } from '../verify/verify-labs.ts';
import { REPO_ROOT } from '../repo-root.ts';
import { exportCommand, preflightCommand } from './workshop-commands.ts';

const USAGE = `usage: nslab <command>
  serve              start the server (NSLAB_HOST, NSLAB_PORT, NSLAB_TOKEN, NSLAB_INSTANCE,
                     NSLAB_MODE=solo|workshop, NSLAB_JOIN_CODE, NSLAB_POOL=off|auto|lab=n,...)
  images             build the lab images locally (skipped when up to date)
  verify [--pool] [lab-id...]
                     prove each lab: checks fail fresh, pass after the reference solution
                     (--pool: every session comes from a warm pool, as a room's would)
  preflight [lab-id...]
                     run each offered lab (or the named ones) on this machine with its
                     reference solution: ready, failing (why) or unavailable here (why)
  export [--format csv|json] [--out file]
                     progress per learner and exercise, from the progress store
  sweep              remove every container this instance left on the engine`;

async function serve(): Promise<void> {
  const server = await NslabServer.start();
  process.stdout.write(
    `\nnslab is ready. Open this address in your browser:\n\n    ${server.loginUrl}\n\n`,
  );
  if (server.joinUrl !== undefined) {
    process.stdout.write(
      `Workshop mode. Learners join with this address (it does not give the instructor's rights):\n\n    ${server.joinUrl}\n\n`,
    );
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('stopping failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      await serve();
      return -1;
    case 'images': {
      const started = performance.now();
      const specs = await ensureLabImages(new ImageClient(mainEngine()), {
        repoRoot: REPO_ROOT,
        onProgress: (line) => process.stdout.write(`${line}\n`),
      });
      process.stdout.write(
        `images ready in ${((performance.now() - started) / 1000).toFixed(1)} s: ${specs.map((s) => s.tag).join(', ')}\n`,
      );
      return 0;
    }
    case 'verify': {
      // One line per lab: session chatter only when asked for.
      process.env.NSLAB_LOG_LEVEL ??= 'warn';
      const pool = rest.includes('--pool');
      const verdicts = await verifyLabs(
        rest.filter((arg) => arg !== '--pool'),
        (verdict) => process.stdout.write(`${formatVerdict(verdict)}\n`),
        { pool },
      );
      const failed = verdicts.filter((v) => !v.ok).length;
      process.stdout.write(`${verdicts.length - failed}/${verdicts.length} labs verified\n`);
      return failed === 0 ? 0 : 1;
    }
    case 'preflight':
      return preflightCommand(rest);
    case 'export':
      return exportCommand(rest);
    case 'sweep': {
      const config = loadConfig();
      const removed = await sweepLeftovers(await connectProvisioning(config));
      process.stdout.write(`removed ${removed} leftover(s) of instance "${config.instance}"\n`);
      return 0;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`nslab: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
