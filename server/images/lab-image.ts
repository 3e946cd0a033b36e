// The lab image: `docker build` of labs/images/lab on top of the base image.
import path from 'node:path';
import type { ImageClient } from '../docker/image-client.ts';
import { LAB_CONTEXT_DIR, listLabContext, type ImageSpec } from './image-specs.ts';
import { errorMessage } from './run-process.ts';

export async function buildLab(
  images: ImageClient,
  spec: ImageSpec,
  baseTag: string,
  repoRoot: string,
  log: (line: string) => void,
  progress: (line: string) => void,
): Promise<void> {
  log(`build image ${spec.tag} FROM ${baseTag}: start`);
  try {
    await images.build(
      {
        context: path.join(repoRoot, LAB_CONTEXT_DIR),
        src: listLabContext(repoRoot),
        tag: spec.tag,
        buildargs: { BASE: baseTag },
        labels: { 'nslab.content-hash': spec.contentHash },
      },
      (msg) => {
        for (const line of (msg.stream ?? msg.status ?? '').split('\n')) {
          if (line.trim() !== '') progress(line.trimEnd());
        }
      },
    );
    log(`build image ${spec.tag}: ok`);
  } catch (err) {
    log(`build image ${spec.tag}: failed: ${errorMessage(err)}`);
    throw err;
  }
}
