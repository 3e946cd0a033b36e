// The repository's root directory, found from this file's own place in it. A leaf module:
// the engine layer finds its set-up scripts from here without importing the server's config.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
