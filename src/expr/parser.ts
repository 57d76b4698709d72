import type { CompareOp, ExprNode, LitNode } from './ast.js';
import { ExprSyntaxError, type Token, tokenize } from './tokenizer.js';
import { findFunction, foldAtParse, type FunctionDef, lookupFunction } from './functions.js';
import { registeredUdfCall } from './udfRegistry.js';
import { literalValue } from './literal.js';
import { FIELDS as DATE_PART_FIELDS } from './library/dateParts.js';
import { INTERVAL_UNITS, intervalOf, type Interval } from './library/intervals.js';
import { parseType, typeName } from '../types/typeNames.js';

/**
 * Parses a Spark SQL expression ("amount > 100 AND status <> 'cancelled'") into the expression
 * tree, by recursive descent with one function per precedence level, loosest first:
 * OR < AND < NOT < comparison / IS / IN / BETWEEN / LIKE / RLIKE < + - || < * / % < unary minus.
 * User text is only ever read as data: no eval, no Function.
 */
export function parseExpr(source: string): ExprNode {
  const parser = new ExprParser(source);
  const node = parser.parseOr();
  parser.expectEnd();
  return node;
}

const COMPARE_OPS: Record<string, CompareOp> = { '=': '=', '==': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const KEYWORDS = new Set(['and', 'or', 'not', 'is', 'null', 'in', 'between', 'like', 'rlike', 'regexp', 'case', 'when', 'then', 'else', 'end', 'cast', 'as', 'true', 'false', 'escape']);

/**
 * The expression parser. The SQL front end (src/sql/) extends it: its hooks (`parseCall`,
 * `parsePrimary`, `parseWord`, `parseInTail`) are protected so that SELECT can add aggregates,
 * window calls and subqueries without a second copy of the expression grammar.
 */
export class ExprParser {
  protected readonly tokens: Token[];
  protected index = 0;
  /** One clock reading per parsed expression: current_date() and current_timestamp() are fixed once per query. */
  protected readonly now = Date.now();

  constructor(protected readonly source: string) {
    this.tokens = tokenize(source);
  }

  protected get token(): Token { return this.tokens[this.index]; }
  protected peek(offset = 1): Token { return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]; }
  protected next(): Token { return this.tokens[this.index++]; }

  protected isKeyword(word: string, token = this.token): boolean {
    return token.kind === 'ident' && token.text.toLowerCase() === word;
  }
  protected isOp(op: string, token = this.token): boolean { return token.kind === 'op' && token.text === op; }

  protected fail(expected: string, token = this.token): never {
    const found = token.kind === 'eof' ? 'end of input' : token.kind === 'string' ? `'${token.text}'` : `'${this.source.slice(token.pos, token.end)}'`;
    throw new ExprSyntaxError(expected, token.pos + 1, this.source, found);
  }

  protected expectKeyword(word: string): void {
    if (!this.isKeyword(word)) this.fail(word.toUpperCase());
    this.index++;
  }
  protected expectOp(op: string): void {
    if (!this.isOp(op)) this.fail(`'${op}'`);
    this.index++;
  }

  expectEnd(): void {
    if (this.token.kind !== 'eof') this.fail('an operator or the end of the expression');
  }

  parseOr(): ExprNode {
    let left = this.parseAnd();
    while (this.isKeyword('or')) {
      this.index++;
      left = { kind: 'logic', op: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  protected parseAnd(): ExprNode {
    let left = this.parseNot();
    while (this.isKeyword('and')) {
      this.index++;
      left = { kind: 'logic', op: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  protected parseNot(): ExprNode {
    if (this.isKeyword('not')) {
      this.index++;
      return { kind: 'not', expr: this.parseNot() };
    }
    return this.parsePredicate();
  }

  protected parsePredicate(): ExprNode {
    let left = this.parseAdditive();
    for (;;) {
      const t = this.token;
      if (t.kind === 'op' && COMPARE_OPS[t.text]) {
        this.index++;
        left = { kind: 'compare', op: COMPARE_OPS[t.text], left, right: this.parseAdditive() };
        continue;
      }
      if (this.isKeyword('is')) {
        this.index++;
        const negated = this.isKeyword('not') ? (this.index++, true) : false;
        this.expectKeyword('null');
        left = { kind: 'isNull', expr: left, negated };
        continue;
      }
      const negated = this.isKeyword('not') && ['in', 'between', 'like', 'rlike', 'regexp'].some((w) => this.isKeyword(w, this.peek()));
      if (negated) this.index++;
      if (this.isKeyword('in')) {
        this.index++;
        left = this.parseInTail(left, negated);
      } else if (this.isKeyword('between')) {
        this.index++;
        const low = this.parseAdditive();
        this.expectKeyword('and');
        left = { kind: 'between', expr: left, low, high: this.parseAdditive(), negated };
      } else if (this.isKeyword('like')) {
        this.index++;
        const pattern = this.expectString('a quoted LIKE pattern');
        let escape: string | undefined;
        if (this.isKeyword('escape')) {
          this.index++;
          const at = this.token;
          escape = this.expectString('a quoted escape character');
          if (escape.length !== 1) this.fail('a single escape character', at);
        }
        left = { kind: 'like', expr: left, pattern, ...(escape !== undefined ? { escape } : {}), negated };
      } else if (this.isKeyword('rlike') || this.isKeyword('regexp')) {
        this.index++;
        left = { kind: 'rlike', expr: left, pattern: this.expectString('a quoted regular expression'), negated };
      } else return left;
    }
  }

  /** After `x [NOT] IN`: the parenthesised list. */
  protected parseInTail(left: ExprNode, negated: boolean): ExprNode {
    this.expectOp('(');
    const list = [this.parseOr()];
    while (this.isOp(',')) { this.index++; list.push(this.parseOr()); }
    this.expectOp(')');
    return { kind: 'in', expr: left, list, negated };
  }

  protected expectString(what: string): string {
    if (this.token.kind !== 'string') this.fail(what);
    return this.next().text;
  }

  protected parseAdditive(): ExprNode {
    let left = this.parseMultiplicative();
    // a || b || c becomes one concat(a, b, c).
    let pipes: { kind: 'call'; fn: string; args: ExprNode[] } | undefined;
    for (;;) {
      const t = this.token;
      if (this.isOp('+') || this.isOp('-')) {
        this.index++;
        const right = this.parseMultiplicative();
        const interval = this.intervals.get(right);
        const leftInterval = this.intervals.get(left);
        if (interval && !leftInterval) left = intervalAddNode(left, interval.value, t.text === '-' ? -1 : 1);
        else if (leftInterval && !interval && t.text === '+') left = intervalAddNode(right, leftInterval.value, 1);
        else if (interval || leftInterval) this.fail('a date or timestamp on one side of an INTERVAL', (interval ?? leftInterval)!.token);
        else left = { kind: 'arith', op: t.text as '+' | '-', left, right };
      } else if (this.isOp('||')) {
        this.index++;
        const right = this.parseMultiplicative();
        if (pipes && left === pipes) pipes.args.push(right);
        else left = pipes = { kind: 'call', fn: 'concat', args: [left, right] };
      } else {
        const interval = this.intervals.get(left);
        if (interval) this.fail('a date or timestamp to add the INTERVAL to (d + INTERVAL 1 DAY)', interval.token);
        return left;
      }
    }
  }

  protected parseMultiplicative(): ExprNode {
    let left: ExprNode = this.parseUnary();
    for (;;) {
      if (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
        const op = this.next().text as '*' | '/' | '%';
        const right = this.parseUnary();
        for (const side of [left, right]) {
          const interval = this.intervals.get(side);
          if (interval) this.fail(`a number (an INTERVAL can only be added to or subtracted from a date or timestamp, not used with '${op}')`, interval.token);
        }
        left = { kind: 'arith', op, left, right };
      } else if (this.isKeyword('div') && this.peek().kind !== 'eof' && !this.isOp(')', this.peek()) && !this.isOp(',', this.peek())) {
        // a div b: Spark's integral division, at the precedence of * and /.
        this.index++;
        left = { kind: 'call', fn: 'div', args: [left, this.parseUnary()] };
      } else return left;
    }
  }

  protected parseUnary(): ExprNode {
    if (this.isOp('-')) {
      this.index++;
      // -5 is the literal -5 (so the smallest int32 is an int32 literal, as in Spark).
      if (this.token.kind === 'number') return numberLiteral('-' + this.next().text);
      const operand = this.parseUnary();
      const interval = this.intervals.get(operand);
      if (interval) return this.intervalMarker({ months: -interval.value.months, micros: -interval.value.micros }, interval.token);
      return { kind: 'neg', expr: operand };
    }
    if (this.isOp('+')) {
      this.index++;
      return this.parseUnary();
    }
    return this.parsePostfix();
  }

  protected parsePostfix(): ExprNode {
    let node = this.parsePrimary();
    while (this.isOp('.')) {
      this.index++;
      const t = this.token;
      if (t.kind !== 'ident' && t.kind !== 'quotedIdent') this.fail('a field name after \'.\'');
      this.index++;
      node = { kind: 'field', expr: node, name: t.text };
    }
    return node;
  }

  protected parsePrimary(): ExprNode {
    const t = this.token;
    switch (t.kind) {
      case 'number': this.index++; return numberLiteral(t.text);
      case 'string': this.index++; return { kind: 'lit', value: t.text };
      case 'quotedIdent': this.index++; return { kind: 'col', name: t.text };
      case 'op':
        if (t.text === '(') {
          this.index++;
          const inner = this.parseOr();
          this.expectOp(')');
          return inner;
        }
        return this.fail('an expression');
      case 'eof': return this.fail('an expression');
      case 'ident': return this.parseWord(t);
    }
  }

  protected parseWord(t: Token): ExprNode {
    const word = t.text.toLowerCase();
    if (word === 'null') { this.index++; return { kind: 'lit', value: null }; }
    if (word === 'true' || word === 'false') { this.index++; return { kind: 'lit', value: word === 'true' }; }
    if ((word === 'date' || word === 'timestamp') && this.peek().kind === 'string') {
      this.index++;
      const text = this.next().text;
      const node: LitNode = { kind: 'lit', value: text, type: word };
      try {
        literalValue(node);
      } catch {
        this.fail(word === 'date' ? "a date as 'yyyy-MM-dd'" : "a timestamp as 'yyyy-MM-dd HH:mm:ss'", this.tokens[this.index - 1]);
      }
      return node;
    }
    if (word === 'interval' && (this.peek().kind === 'number' || this.peek().kind === 'string' || this.isOp('-', this.peek()))) return this.parseInterval(t);
    if (word === 'case') return this.parseCase();
    if (word === 'cast' && this.isOp('(', this.peek())) return this.parseCast();
    if (this.isOp('(', this.peek())) return this.parseKeywordCall(word) ?? this.parseCall(t);
    // Spark accepts current_date and current_timestamp without parentheses.
    if (word === 'current_date' || word === 'current_timestamp') {
      this.index++;
      return foldAtParse(lookupFunction(word, 0), this.now)!;
    }
    if (KEYWORDS.has(word)) this.fail('an expression');
    this.index++;
    return { kind: 'col', name: t.text };
  }

  protected parseCase(): ExprNode {
    this.index++;
    // CASE x WHEN v THEN ... is CASE WHEN x = v THEN ...
    const subject = this.isKeyword('when') ? undefined : this.parseOr();
    const branches: { when: ExprNode; then: ExprNode }[] = [];
    while (this.isKeyword('when')) {
      this.index++;
      const value = this.parseOr();
      this.expectKeyword('then');
      const when: ExprNode = subject ? { kind: 'compare', op: '=', left: subject, right: value } : value;
      branches.push({ when, then: this.parseOr() });
    }
    if (branches.length === 0) this.fail('WHEN');
    let otherwise: ExprNode | undefined;
    if (this.isKeyword('else')) {
      this.index++;
      otherwise = this.parseOr();
    }
    this.expectKeyword('end');
    return { kind: 'case', branches, ...(otherwise ? { otherwise } : {}) };
  }

  protected parseCast(): ExprNode {
    this.index += 2;
    const expr = this.parseOr();
    this.expectKeyword('as');
    // The type is raw text up to the matching ')': decimal(10,2), array<string>, struct<a:int>.
    const start = this.token;
    let depth = 0;
    while (this.token.kind !== 'eof' && !(depth === 0 && this.isOp(')'))) {
      if (this.isOp('(')) depth++;
      if (this.isOp(')')) depth--;
      this.index++;
    }
    const text = this.source.slice(start.pos, this.token.pos).trim();
    if (!text) this.fail('a type name', start);
    if (this.token.kind === 'eof') this.fail("')'");
    let to: string;
    try {
      to = typeName(parseType(text));
    } catch {
      return this.fail('a type name (int, bigint, double, float, decimal(p,s), string, boolean, date, timestamp)', start);
    }
    this.expectOp(')');
    return { kind: 'cast', expr, to };
  }

  /** INTERVAL literals met so far (placeholders until + or - turns them into interval_add). */
  protected readonly intervals = new WeakMap<ExprNode, { value: Interval; token: Token }>();

  /**
   * `INTERVAL 3 DAYS`, `INTERVAL '2' HOUR 30 MINUTES`, `INTERVAL '1 day 2 hours'`: months and
   * microseconds, kept as a placeholder node; only `x + INTERVAL …` / `x - INTERVAL …` use it.
   */
  protected parseInterval(start: Token): ExprNode {
    this.index++;
    const total: Interval = { months: 0, micros: 0 };
    const add = (amount: number, unit: string, at: Token) => {
      const part = intervalOf(amount, unit);
      if (!part) this.fail(`an interval unit (${INTERVAL_UNITS.join(', ')}, or their plurals; months and years in whole numbers)`, at);
      total.months += part.months;
      total.micros += part.micros;
    };
    if (this.token.kind === 'string' && !this.isUnit(this.peek())) {
      // INTERVAL '1 day 2 hours': the amounts and units inside the quotes.
      const text = this.next();
      const words = text.text.trim().split(/\s+/);
      if (words.length % 2 !== 0 || words.length === 0) this.fail("an interval as 'amount unit [amount unit …]'", text);
      for (let k = 0; k < words.length; k += 2) {
        const amount = Number(words[k]);
        if (!Number.isFinite(amount)) this.fail("an interval as 'amount unit [amount unit …]'", text);
        add(amount, words[k + 1], text);
      }
      return this.intervalMarker(total, start);
    }
    do {
      const negative = this.isOp('-') ? (this.index++, true) : false;
      const amountToken = this.token;
      if (amountToken.kind !== 'number' && amountToken.kind !== 'string') this.fail('an interval amount');
      const amount = Number(amountToken.text) * (negative ? -1 : 1);
      if (!Number.isFinite(amount)) this.fail('an interval amount (a number)', amountToken);
      this.index++;
      const unit = this.token;
      if (unit.kind !== 'ident') this.fail('an interval unit (DAY, HOUR, …)');
      this.index++;
      add(amount, unit.text, unit);
    } while (this.token.kind === 'number' || (this.token.kind === 'string' && this.isUnit(this.peek())) || (this.isOp('-') && this.peek().kind === 'number' && this.isUnit(this.peek(2))));
    return this.intervalMarker(total, start);
  }

  private isUnit(token: Token): boolean {
    return token.kind === 'ident' && intervalOf(1, token.text) !== undefined;
  }

  private intervalMarker(value: Interval, token: Token): ExprNode {
    const marker: ExprNode = { kind: 'lit', value: null };
    this.intervals.set(marker, { value, token });
    return marker;
  }

  /**
   * SQL's calls with keywords between their arguments, as the plain calls they mean:
   * EXTRACT(field FROM x) → date_part('field', x); TRIM([BOTH|LEADING|TRAILING] [chars] FROM s) →
   * trim/ltrim/rtrim(chars, s); POSITION(sub IN s) → locate(sub, s); SUBSTRING(s FROM a [FOR b]) →
   * substring(s, a, b). Undefined (nothing consumed) when the call is an ordinary one.
   */
  protected parseKeywordCall(word: string): ExprNode | undefined {
    const start = this.index;
    const call = (fn: string, ...args: ExprNode[]): ExprNode => (this.expectOp(')'), { kind: 'call', fn, args });
    this.index += 2;
    if (word === 'extract') {
      const field = this.token;
      if ((field.kind !== 'ident' && field.kind !== 'string') || !DATE_PART_FIELDS[field.text.toLowerCase()]) {
        this.fail('a field to extract: YEAR, YEAROFWEEK, QUARTER, MONTH, WEEK, DAY, DAYOFWEEK, DAYOFWEEK_ISO, DOY, HOUR, MINUTE or SECOND');
      }
      this.index++;
      this.expectKeyword('from');
      return call('date_part', { kind: 'lit', value: field.text.toUpperCase() }, this.parseOr());
    }
    if (word === 'trim') {
      const side = ['both', 'leading', 'trailing'].find((w) => this.isKeyword(w));
      if (side) this.index++;
      const chars = this.isKeyword('from') ? undefined : this.parseOr();
      if (this.isKeyword('from')) {
        this.index++;
        const text = this.parseOr();
        // Spark's function form takes the characters first: trim(chars, s).
        return call(side === 'leading' ? 'ltrim' : side === 'trailing' ? 'rtrim' : 'trim', ...(chars ? [chars] : []), text);
      }
      if (side) this.fail('FROM');
    } else if (word === 'position') {
      const sub = this.parseAdditive();
      if (this.isKeyword('in')) {
        this.index++;
        return call('locate', sub, this.parseAdditive());
      }
    } else if (word === 'substring' || word === 'substr') {
      const text = this.parseOr();
      if (this.isKeyword('from')) {
        this.index++;
        const from = this.parseOr();
        if (!this.isKeyword('for')) return call('substring', text, from);
        this.index++;
        return call('substring', text, from, this.parseOr());
      }
    } else {
      this.index = start;
      return undefined;
    }
    this.index = start;
    return undefined;
  }

  protected parseCall(nameToken: Token): ExprNode {
    this.index += 2;
    const args: ExprNode[] = [];
    if (!this.isOp(')')) {
      args.push(this.parseOr());
      while (this.isOp(',')) { this.index++; args.push(this.parseOr()); }
    }
    this.expectOp(')');
    let fn: string;
    let def: FunctionDef;
    try {
      fn = nameToken.text.toLowerCase();
      // A UDF registered by name (udf.register), where no built-in function has the name.
      const udfCall = findFunction(fn) ? undefined : registeredUdfCall(fn, args);
      if (udfCall) return udfCall;
      def = lookupFunction(fn, args.length);
    } catch (error) {
      throw new ExprSyntaxError(`a known function with the right arguments (${(error as Error).message})`, nameToken.pos + 1, this.source);
    }
    // rand() and randn() without a seed get one now, as Spark draws it at analysis: every split and worker then share it.
    if ((def.name === 'rand' || def.name === 'randn') && args.length === 0) args.push(randomSeed());
    return foldAtParse(def, this.now) ?? { kind: 'call', fn, args };
  }
}

/** `x ± INTERVAL …` as interval_add(x, months, micros). */
function intervalAddNode(x: ExprNode, interval: Interval, sign: number): ExprNode {
  return {
    kind: 'call', fn: 'interval_add',
    args: [x, { kind: 'lit', value: sign * interval.months }, { kind: 'lit', value: sign * interval.micros, type: 'int64' }],
  };
}

/** A random seed literal for an unseeded rand()/randn(). */
export function randomSeed(): LitNode {
  return { kind: 'lit', value: Math.floor(Math.random() * 2 ** 53), type: 'int64' };
}

function numberLiteral(text: string): LitNode {
  const suffix = text[text.length - 1].toLowerCase();
  if (suffix === 'l') return int64Literal(BigInt(text.slice(0, -1)));
  if (suffix === 'd') return { kind: 'lit', value: Number(text.slice(0, -1)), type: 'float64' };
  if (/[.eE]/.test(text)) return { kind: 'lit', value: Number(text), type: 'float64' };
  const value = BigInt(text);
  return value <= 2147483647n && value >= -2147483648n ? { kind: 'lit', value: Number(value) } : int64Literal(value);
}

/** int64 literals keep full precision as a decimal string when beyond 2^53. */
function int64Literal(value: bigint): LitNode {
  const safe = value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER);
  return { kind: 'lit', value: safe ? Number(value) : value.toString(), type: 'int64' };
}
