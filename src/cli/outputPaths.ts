import fs from 'node:fs';
import path from 'node:path';

/** An output path that cannot be written (exit 2, before anything is sent). */
export class OutputPathError extends Error {
  override readonly name = 'OutputPathError';
}

/**
 * Checks, before a run, that `file` can be written: an existing file must be
 * a writable regular file; otherwise its nearest existing ancestor must be a
 * writable folder (the writers create the missing folders). Creates nothing.
 */
export function checkWritable(flag: string, file: string): void {
  const abs = path.resolve(file);
  const fail = (why: string) => {
    throw new OutputPathError(`${flag} ${file}: ${why}`);
  };
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(abs);
  } catch (e) {
    // ENOTDIR: a parent is a file; the walk up below names it.
    if (!['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException).code ?? ''))
      fail(`cannot be written (${(e as NodeJS.ErrnoException).code})`);
  }
  if (st) {
    if (!st.isFile()) fail(st.isDirectory() ? 'is a folder, not a file' : 'is not a regular file');
    try {
      fs.accessSync(abs, fs.constants.W_OK);
    } catch {
      fail('the file is not writable');
    }
    return;
  }
  let dir = path.dirname(abs);
  for (;;) {
    let ds: fs.Stats | undefined;
    try {
      ds = fs.statSync(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') fail(`its folder cannot be created (${code} at ${dir})`);
    }
    if (ds) {
      if (!ds.isDirectory()) fail(`${dir} is a file, not a folder`);
      try {
        fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
      } catch {
        fail(`the folder ${dir} is not writable`);
      }
      return;
    }
    const up = path.dirname(dir);
    if (up === dir) fail('no existing folder to write into');
    dir = up;
  }
}
