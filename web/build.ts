// Bundles the browser app with esbuild into web/dist: one script, one stylesheet (xterm's
// own CSS first, then ours) and the page. No CDN: nslab works offline.
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const webDir = import.meta.dirname;
const outDir = path.join(webDir, 'dist');
const assets = path.join(outDir, 'assets');

await mkdir(assets, { recursive: true });
await build({
  entryPoints: [path.join(webDir, 'src', 'main.ts')],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  outfile: path.join(assets, 'main.js'),
  logLevel: 'warning',
});
const xtermCss = await readFile(
  path.join(webDir, '..', 'node_modules', '@xterm', 'xterm', 'css', 'xterm.css'),
  'utf8',
);
const ourCss = await readFile(path.join(webDir, 'src', 'styles.css'), 'utf8');
await writeFile(path.join(assets, 'main.css'), `${xtermCss}\n${ourCss}`);
await copyFile(path.join(webDir, 'index.html'), path.join(outDir, 'index.html'));
await copyFile(path.join(webDir, 'favicon.svg'), path.join(assets, 'favicon.svg'));
process.stdout.write(`web app built into ${path.relative(process.cwd(), outDir)}\n`);
