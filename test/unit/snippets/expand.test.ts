import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandSnippet } from './expand';

describe('snippet expansion (test helper)', () => {
  it('takes defaults, first choices, mirrors and escapes', () => {
    assert.equal(expandSnippet('a ${1:x} b ${2|p,q|} c $1 ${1} $0'), 'a x b p c x x ');
    assert.equal(expandSnippet('${1:outer ${2:inner}} $2'), 'outer inner inner');
    assert.equal(expandSnippet('\\${HF_TOKEN} \\\\ x\\}'), '${HF_TOKEN} \\ x}');
  });

  it('rejects variables and unclosed placeholders', () => {
    assert.throws(() => expandSnippet('$TM_FILENAME'), /variable/);
    assert.throws(() => expandSnippet('${1:abc'), /not closed/);
  });
});
