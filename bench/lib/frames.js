// Used by the profile summariser (bench/cpuprofile-top.js).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A V8 profile frame's script as a path relative to `root` (the repo), or as V8 named it. */
export function frameFile(frame, root) {
  let url = frame.url || '';
  if (url.startsWith('file://')) url = fileURLToPath(url);
  if (url.startsWith(root)) url = path.relative(root, url);
  return url;
}
