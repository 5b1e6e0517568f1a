// Runs the schema validation, the unknown-field check and every consistency rule over one rendered set of objects.
import { knownFieldChecks } from './fields.mjs';
import { describe } from './objects.mjs';
import { OPERATIONS_RULES } from './rules-operations.mjs';
import { SECURITY_RULES } from './rules-security.mjs';
import { RULES } from './rules.mjs';
import { schemaErrors } from './schema.mjs';

/** Returns every check as { subject, errors }; a check passed when its errors are empty. */
export async function checkObjects(objects, context) {
  const checks = [];
  for (const object of objects) {
    checks.push({ subject: `${describe(object)} schema`, errors: await schemaErrors(object) });
  }
  checks.push(...knownFieldChecks(objects));
  for (const rule of [...RULES, ...OPERATIONS_RULES, ...SECURITY_RULES]) {
    for (const check of rule(objects, context)) checks.push({ ...check, subject: `${check.subject} [${rule.name}]` });
  }
  return checks;
}
