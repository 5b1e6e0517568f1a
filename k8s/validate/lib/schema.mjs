// Schema validation with the model classes of the npm package kubernetes-models (and its CRD packages).
import { modelPath } from './model-path.mjs';

const modelCache = new Map();

async function modelClass(apiVersion, kind) {
  const key = `${apiVersion}/${kind}`;
  if (!modelCache.has(key)) {
    let model = null;
    try {
      const module = await import(modelPath(apiVersion, kind));
      model = module[kind] ?? null;
    } catch {
      model = null;
    }
    modelCache.set(key, model);
  }
  return modelCache.get(key);
}

/** Returns the schema errors of one object (empty when valid). */
export async function schemaErrors(object) {
  if (typeof object?.apiVersion !== 'string' || typeof object?.kind !== 'string') {
    return ['apiVersion and kind must be strings'];
  }
  const Model = await modelClass(object.apiVersion, object.kind);
  if (!Model) return [`no Kubernetes schema for ${object.apiVersion} ${object.kind}`];
  try {
    new Model(object).validate();
    return [];
  } catch (err) {
    if (Array.isArray(err.errors)) {
      return err.errors.map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`);
    }
    return [err.message];
  }
}
