// Unknown-field check: the Kubernetes JSON schemas allow extra properties, so a misspelt optional
// field (`readinesProbe`, `terminationGracePeriodSecond`) would pass them silently. TypeScript's
// excess-property check against the kubernetes-models interfaces catches exactly those: every
// object becomes a typed object literal in one virtual file, compiled in memory, never emitted.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { modelPath } from './model-path.mjs';
import { describe } from './objects.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const VIRTUAL_FILE = join(here, '..', '__manifests__.ts'); // beside node_modules, so imports resolve

const OPTIONS = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  types: [],
};

function buildSource(objects) {
  const lines = [];
  const owners = []; // line number (0-based) -> object index
  objects.forEach((object, i) => {
    const typeName = `I${object.kind}`;
    const header = `import type { ${typeName} as T${i} } from "${modelPath(object.apiVersion, object.kind)}";`;
    const body = `export const o${i}: T${i} = ${JSON.stringify(object, null, 1)};`.split('\n');
    lines.push(header);
    owners.push(i);
    for (const line of body) { lines.push(line); owners.push(i); }
  });
  return { text: lines.join('\n'), owners };
}

/**
 * Returns, per object index, the type errors (unknown fields, wrong types) TypeScript finds.
 * TypeScript stops at the first mismatch of an object, so a fixed error may reveal the next one.
 */
export function fieldErrors(objects) {
  const { text, owners } = buildSource(objects);
  const host = ts.createCompilerHost(OPTIONS);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = ((exists) => (f) => f === VIRTUAL_FILE || exists(f))(host.fileExists.bind(host));
  host.readFile = (f) => (f === VIRTUAL_FILE ? text : readFile(f));
  host.getSourceFile = (f, lang, onError, create) => (f === VIRTUAL_FILE
    ? ts.createSourceFile(f, text, lang, true) : getSourceFile(f, lang, onError, create));
  const program = ts.createProgram([VIRTUAL_FILE], OPTIONS, host);
  const byObject = objects.map(() => []);
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (!d.file || d.file.fileName !== VIRTUAL_FILE) throw new Error(`field check setup failed: ${message}`);
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    byObject[owners[line]].push(message.replace(/'"([^"']+)"'/g, "'$1'"));
  }
  return byObject;
}

/** One check per object: its fields are all known to its Kubernetes type. */
export function knownFieldChecks(objects) {
  const errors = fieldErrors(objects);
  return objects.map((object, i) => ({ subject: `${describe(object)} fields`, errors: errors[i] }));
}
