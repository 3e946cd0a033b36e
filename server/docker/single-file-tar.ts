// The engine's archive API (PUT /containers/{id}/archive) takes a tar stream. A set-up step
// only ever needs one small file in it, so nslab writes the ustar format itself (a 512-byte
// header, the content padded to 512 bytes, two empty blocks) rather than take a dependency.

const BLOCK = 512;

export interface TarFile {
  /** The file's name inside the directory it is extracted into; no slashes. */
  name: string;
  content: Buffer;
  /** Permission bits, setuid and friends included (04755). */
  mode: number;
  uid: number;
  gid: number;
}

/** An octal number field: zero-padded digits then a NUL, `width` bytes in all. */
function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(file: TarFile): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(file.name, 0, 100, 'utf8');
  block.write(octal(file.mode, 8), 100, 'ascii');
  block.write(octal(file.uid, 8), 108, 'ascii');
  block.write(octal(file.gid, 8), 116, 'ascii');
  block.write(octal(file.content.length, 12), 124, 'ascii');
  block.write(octal(Math.floor(Date.now() / 1000), 12), 136, 'ascii');
  block.write('0', 156, 'ascii'); // a regular file
  block.write('ustar\u000000', 257, 'ascii');
  // The checksum is the sum of every header byte, counting its own field as eight spaces.
  block.write(' '.repeat(8), 148, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(octal(sum, 7) + ' ', 148, 'ascii');
  return block;
}

/** A tar archive holding exactly `file`. */
export function singleFileTar(file: TarFile): Buffer {
  if (file.name === '' || file.name.includes('/') || Buffer.byteLength(file.name) > 99)
    throw new Error(`not a plain file name: ${JSON.stringify(file.name)}`);
  const padding = (BLOCK - (file.content.length % BLOCK)) % BLOCK;
  return Buffer.concat([
    header(file),
    file.content,
    Buffer.alloc(padding),
    Buffer.alloc(2 * BLOCK),
  ]);
}
