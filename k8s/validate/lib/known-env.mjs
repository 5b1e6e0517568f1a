// Reads known-env.txt: one variable name per line, `#` starts a comment.
import { readFileSync } from 'node:fs';

export function readKnownEnv(path) {
  const names = new Set();
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    if (!/^[A-Z][A-Z0-9_]*$/.test(line)) throw new Error(`${path}: not a variable name: ${line}`);
    names.add(line);
  }
  return names;
}

/** Reads a list of Kubernetes object names, one per line, `#` starts a comment. */
export function readNameList(path) {
  const names = new Set();
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(line)) throw new Error(`${path}: not an object name: ${line}`);
    names.add(line);
  }
  return names;
}
