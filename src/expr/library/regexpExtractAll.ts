import { Field, List, Utf8, type DataType } from 'apache-arrow';
import type { Operand } from '../operand.js';
import { castOperand } from '../kernels/castOperand.js';
import { stringLists } from '../kernels/string.js';
import { linearRegExp } from '../kernels/safeRegExp.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import { define, literalArg, type FunctionDef } from './define.js';

const UTF8 = new Utf8();
const LIST: DataType = new List(new Field('element', UTF8, true));

/**
 * regexp_extract_all(s, regex[, group = 1]): the group's text of every match, left to right, as
 * an array (Spark 3.1+); an empty array when nothing matches, null for a null s. The pattern is
 * RE2 (linear time), like regexp_extract's.
 */
export const regexpExtractAll: FunctionDef = define({
  name: 'regexp_extract_all', category: 'string', signature: 'regexp_extract_all(s: string, regex: string[, group: int = 1]) → array<string>',
  description: "The group's text of every match of the regular expression (RE2), as an array.",
  args: ['string', 'string', 'int'], min: 2, max: 3, result: LIST,
  evaluate(args: Operand[], n: number) {
    const pattern = literalArg(args[1], 'regexp_extract_all', 'the pattern');
    const group = args.length > 2 ? Number(literalArg(args[2], 'regexp_extract_all', 'the group')) : 1;
    const re = linearRegExp(String(pattern), 'gu', 'regexp_extract_all');
    return stringLists(castOperand(args[0], UTF8, n), n, (text) => {
      const found: string[] = [];
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        if (group >= m.length || group < 0) throw new SluiceError(`regexp_extract_all: group ${group} does not exist in '${re.source}'`);
        found.push(m[group] ?? '');
        if (m[0].length === 0) re.lastIndex++;
      }
      return found;
    });
  },
});
