// k6/lib/reply-shape.js gives exactly the verdicts of the cases shared with Java's ReplyCheck
// (ReplyShapeJsDriftTest runs the same file), so the JS and Java shapes of a reply cannot drift.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ReplyShapeCheck, replyViolations } from '../../lib/reply-shape.js';

const CASES = new URL('../../../shared-protocol/src/test/resources/reply-shape-cases.json', import.meta.url);
const COMPACTED = 'compacted'; // a step that is no frame: a compacted run passed

describe('reply-shape.js', () => {
  for (const { name, steps, verdicts, done } of JSON.parse(readFileSync(CASES, 'utf8')).cases) {
    test(`shared case: ${name}`, () => {
      const check = new ReplyShapeCheck();
      const got = steps.map((step) => {
        if (step !== COMPACTED) return check.accept(step.kind, step.data);
        check.compacted();
        return null;
      });
      assert.deepEqual(got, verdicts);
      assert.equal(check.done(), done, 'done');
    });
  }

  test('replyViolations names the frame and a missing ending', () => {
    const on = { kind: 'typing', data: { on: true } };
    assert.deepEqual(replyViolations([on, { kind: 'chunk', data: { text: 'a', index: 1 } }]), [
      'chunk index 1, expected 0 at {"kind":"chunk","data":{"text":"a","index":1}}',
      'the reply did not end with typing off (phase STARTED)',
    ]);
  });
});
