// What the lab images are made of, and the tags that name it. Tags carry a hash of the
// inputs, so the server knows which tag to use without building anything, and a changed
// recipe gets a new tag instead of a stale image.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ImageSpec {
  name: 'base' | 'lab';
  tag: string;
  contentHash: string;
}

export const DEBIAN_SUITE = 'bookworm';
export const DEBIAN_VARIANT = 'minbase';
/**
 * Names everything about the base recipe that is not in packages.txt (debootstrap flags,
 * what is stripped, the import changes). Bump it when any of those change, so every machine
 * rebuilds its base image instead of keeping one made by the old recipe.
 */
export const BASE_RECIPE_VERSION = 'nslab-base-2026-12';
export const DEFAULT_DEBIAN_MIRROR = 'http://deb.debian.org/debian';
/** The lab image's build context, relative to the repository root. */
export const LAB_CONTEXT_DIR = 'labs/images/lab';

const BASE_PACKAGES_FILE = 'labs/images/base/packages.txt';
const TAG_HASH_CHARS = 12;
const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;

/** The base image's package list: comments and blank lines dropped, sorted, deduplicated. */
export function readBasePackages(repoRoot: string): string[] {
  const text = readFileSync(path.join(repoRoot, BASE_PACKAGES_FILE), 'utf8');
  const names = new Set<string>();
  for (const raw of text.split('\n')) {
    const name = raw.replace(/#.*/, '').trim();
    if (name === '') continue;
    if (!PACKAGE_NAME.test(name)) {
      throw new Error(`${BASE_PACKAGES_FILE}: "${name}" is not a Debian package name`);
    }
    names.add(name);
  }
  return [...names].sort();
}

/** Files of the lab build context, relative with `/` separators, sorted by code unit. */
export function listLabContext(repoRoot: string): string[] {
  const root = path.join(repoRoot, LAB_CONTEXT_DIR);
  const files: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) files.push(child);
    }
  };
  walk('');
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function imageTag(name: ImageSpec['name'], contentHash: string): string {
  return `nslab/${name}:${contentHash.slice(0, TAG_HASH_CHARS)}`;
}

/** The specs of the base and lab images, in build order. Reads a few small files; builds nothing. */
export function labImageSpecs(repoRoot: string): ImageSpec[] {
  const baseHash = createHash('sha256')
    .update(
      JSON.stringify({
        suite: DEBIAN_SUITE,
        variant: DEBIAN_VARIANT,
        packages: readBasePackages(repoRoot),
        recipe: BASE_RECIPE_VERSION,
      }),
    )
    .digest('hex');

  const lab = createHash('sha256');
  lab.update(`base ${baseHash}\n`);
  for (const file of listLabContext(repoRoot)) {
    const content = readFileSync(path.join(repoRoot, LAB_CONTEXT_DIR, file));
    // Length-prefixed, so no two different file sets can produce the same byte stream.
    lab.update(`file ${Buffer.byteLength(file)} ${file} ${content.length}\n`);
    lab.update(content);
  }
  const labHash = lab.digest('hex');

  return [
    { name: 'base', tag: imageTag('base', baseHash), contentHash: baseHash },
    { name: 'lab', tag: imageTag('lab', labHash), contentHash: labHash },
  ];
}

export function specNamed(specs: ImageSpec[], name: ImageSpec['name']): ImageSpec {
  const spec = specs.find((s) => s.name === name);
  if (spec === undefined) throw new Error(`no ${name} image spec`);
  return spec;
}
