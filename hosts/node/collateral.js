// Intel collateral from the file system: a directory of pieces under any names (classified by
// content, see hosts/js/verify/dcap/collateral-files.js), or one file (a dcap-qvl bundle).
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { classifyCollateral } from "../js/verify/dcap/collateral-files.js";

/**
 * Reads `path` (a directory: its regular files, symlinks followed, subdirectories skipped; or a
 * single file) and classifies what it holds. Returns classifyCollateral()'s { collateral, files,
 * missing }; `collateral` goes to verify() as opts.collateral. File system errors are thrown as
 * they come (ENOENT, EACCES, ...); unusable collateral as CollateralError.
 */
export async function readCollateral(path) {
  if (!(await stat(path)).isDirectory()) return classifyCollateral([{ name: basename(path), bytes: new Uint8Array(await readFile(path)) }]);
  const files = [];
  for (const name of await readdir(path)) {
    const p = join(path, name);
    if ((await stat(p)).isFile()) files.push({ name, bytes: new Uint8Array(await readFile(p)) });
  }
  return classifyCollateral(files);
}
