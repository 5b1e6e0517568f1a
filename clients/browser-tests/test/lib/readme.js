// Code blocks of the SDK's README, so a test can run them exactly as documented.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './relay-server.js';

export const SDK_README = path.join(REPO_ROOT, 'clients/js/README.md');

/** The first fenced block of `language` under the heading `## <heading>`. */
export function readmeBlock(heading, language = 'js') {
  const text = readFileSync(SDK_README, 'utf8');
  const start = text.indexOf(`## ${heading}\n`);
  if (start < 0) throw new Error(`${SDK_README} has no section "## ${heading}"`);
  const match = text.slice(start).match(new RegExp('```' + language + '\\n([\\s\\S]*?)```'));
  if (!match) throw new Error(`section "${heading}" of ${SDK_README} has no \`\`\`${language} block`);
  return match[1];
}
