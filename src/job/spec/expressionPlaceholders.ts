import { SluiceError } from '../../types/ErrorRecord.js';
import { ExprSyntaxError, tokenize } from '../../expr/tokenizer.js';

/** `${NAME}`, and the `$${NAME}` escape (as placeholders.ts). */
const PLACEHOLDER = /\$?\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const PLAIN_NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Fills the placeholders of a SQL expression as values, never as SQL: a placeholder inside a
 * quoted literal ('…', "…", `…`) is escaped for that quote (the quote doubled); elsewhere it
 * becomes a string literal, or a number literal when the value is a plain number. So
 * `status = '${S}'` with S = `x' OR 1=1 OR 'a'='a` compares status with that whole text.
 *
 * The text is tokenised with each placeholder standing in as a marker identifier, so quotes
 * are found by the expression tokenizer itself, not by a pattern over the text.
 */
export function fillExpression(text: string, params: Readonly<Record<string, string>>, missing: Set<string>, where: string): string {
  const marks: { name: string; escape: boolean }[] = [];
  const tag = uniqueTag(text);
  const marked = text.replace(PLACEHOLDER, (whole: string, name: string) => {
    marks.push({ name, escape: whole.startsWith('$$') });
    return `${tag}${marks.length - 1}_`;
  });
  if (marks.length === 0) return text;
  let tokens;
  try {
    tokens = tokenize(marked);
  } catch (e) {
    if (!(e instanceof ExprSyntaxError)) throw e;
    throw new SluiceError(`${where}: cannot place parameters in this expression, it does not parse: ${e.message.replace(marked, text)}`);
  }
  const markIn = new RegExp(`${tag}(\\d+)_`, 'g');
  const valueOf = (index: string): string | undefined => {
    const mark = marks[Number(index)];
    if (mark.escape) return undefined;
    if (Object.hasOwn(params, mark.name)) return params[mark.name];
    missing.add(mark.name);
    return '';
  };
  let out = '';
  let at = 0;
  for (const token of tokens) {
    if (token.kind === 'eof') break;
    const raw = marked.slice(token.pos, token.end);
    out += marked.slice(at, token.pos);
    at = token.end;
    if (!raw.includes(tag)) {
      out += raw;
    } else if (token.kind === 'string' || token.kind === 'quotedIdent') {
      const quote = raw[0];
      out += raw.replace(markIn, (_m, i: string) => {
        const value = valueOf(i);
        return value === undefined ? `\${${marks[Number(i)].name}}` : value.split(quote).join(quote + quote);
      });
    } else if (token.kind === 'ident' && new RegExp(`^${tag}\\d+_$`).test(raw)) {
      const i = raw.slice(tag.length, -1);
      const value = valueOf(i);
      if (value === undefined) throw new SluiceError(`${where}: $\${${marks[Number(i)].name}} outside quotes is not an expression; write it inside a string literal`);
      out += literal(value);
    } else {
      const name = marks[Number(new RegExp(`${tag}(\\d+)_`).exec(raw)![1])].name;
      throw new SluiceError(`${where}: \${${name}} is part of a name or number in "${text}"; in an expression a placeholder stands for a whole value (it becomes a literal), so it cannot build a column or function name`);
    }
  }
  return out + marked.slice(at);
}

/** The value as a SQL literal: a number when it is a plain number, else a quoted string. */
function literal(value: string): string {
  if (PLAIN_NUMBER.test(value)) return value.startsWith('-') ? `(${value})` : value;
  return `'${value.split("'").join("''")}'`;
}

/** An identifier prefix not found in the text, for the markers. */
function uniqueTag(text: string): string {
  let tag = 'sluice_placeholder_';
  while (text.includes(tag)) tag += 'x';
  return tag;
}
