/**
 * Tests that run the `dspidl` bin or a packed tarball use the compiled package in dist/.
 * `npm ci` builds it (prepare); this rebuilds it before the run when a source file is newer,
 * so an edit is never tested against a stale build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const STAMP = join(root, 'dist', '.build-stamp');

function newestSource(): number {
  let newest = 0;
  for (const dir of ['generator', 'runtime', 'tools']) {
    for (const e of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (e.isFile()) newest = Math.max(newest, statSync(join(e.parentPath, e.name)).mtimeMs);
    }
  }
  for (const f of ['index.ts', 'package.json', 'tsconfig.build.json']) newest = Math.max(newest, statSync(join(root, f)).mtimeMs);
  return newest;
}

export default function setup(): void {
  if (existsSync(STAMP) && statSync(STAMP).mtimeMs >= newestSource()) return;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'tools/build.ts'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed: the tests of the compiled package cannot run');
}
