import { Utf8 } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { batchOf, run } from '../expr/helpers.js';

// 40 'a's and a 'b': a backtracking engine tries ~2^40 ways to split the a's before failing.
const EVIL = `${'a'.repeat(40)}b`;
const batch = batchOf({ s: [[EVIL, 'aaa', null], new Utf8()] });

describe('regular expressions from a spec run in linear time (RE2)', () => {
  it("RLIKE '^(a+)+$' on a 41-character input finishes with the right answer", () => {
    expect(run("s RLIKE '^(a+)+$'", batch)).toEqual([false, true, null]);
  });

  it('regexp_extract and split with catastrophic patterns finish too', () => {
    expect(run("regexp_extract(s, '^((a+)+)$', 1)", batch)).toEqual(['', 'aaa', null]);
    expect(run("split(s, '(a|aa)+c')", batch)).toEqual([[EVIL], ['aaa'], null]);
  });

  it('what RE2 does not support is an error that says so', () => {
    expect(() => run("s RLIKE 'a(?=b)'", batch)).toThrow("RLIKE: invalid regular expression 'a(?=b)': invalid perl operator: (?= (lookahead and lookbehind are not supported: sluice uses RE2, which matches in linear time)");
    expect(() => run("regexp_extract(s, '(a)\\1', 1)", batch)).toThrow(/regexp_extract: invalid regular expression '\(a\)\\1': .*\(backreferences are not supported/);
  });
});
