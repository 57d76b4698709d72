import type { ExprNode } from '../expr/ast.js';
import { ExprSyntaxError, type Token } from '../expr/tokenizer.js';
import type { Cte, FromItem, SqlCommand, OrderItem, Query, SelectItem, SelectQuery, SqlCallNode, SqlExpr, SqlJoinType, WindowSpec } from './ast.js';
import { AGGREGATE_FUNCTIONS, WINDOW_FUNCTIONS } from './sqlFunctions.js';
import { SqlSyntaxError } from './SqlSyntaxError.js';
import { SqlClauseParser } from './SqlClauseParser.js';

/** Words that end an expression or a FROM item, so they are never read as an alias. */
const RESERVED = new Set([
  'select', 'from', 'where', 'group', 'by', 'having', 'order', 'limit', 'join', 'inner', 'left', 'right', 'full', 'outer',
  'cross', 'semi', 'anti', 'on', 'using', 'union', 'intersect', 'except', 'minus', 'as', 'with', 'and', 'or', 'not', 'is',
  'in', 'between', 'like', 'rlike', 'case', 'when', 'then', 'else', 'end', 'distinct', 'all', 'over', 'partition',
  'window', 'lateral', 'natural', 'exists', 'asc', 'desc', 'nulls', 'rows', 'range', 'explain', 'values',
]);

/** Words that start or join clauses: never a column name unless quoted (`from`). */
const CLAUSE_WORDS = new Set([
  'select', 'from', 'where', 'group', 'having', 'order', 'limit', 'join', 'on', 'using', 'union', 'intersect', 'except', 'minus',
]);

/** Generators a SELECT item may be (Spark's explode family). */
const GENERATORS = new Set(['explode', 'explode_outer', 'posexplode', 'posexplode_outer']);

/** Formats a FROM clause may read by path: ``parquet.`s3://bucket/path` ``. */
export const PATH_FORMATS = ['parquet', 'csv', 'json', 'avro', 'xml'];

/** A parsed statement: a query, EXPLAIN of one, or a command (SHOW, DESCRIBE) with no query. */
export interface Statement {
  explain: boolean;
  query?: Query;
  command?: SqlCommand;
  /** Where each column reference starts in the text (for "column not found" errors). */
  positions: WeakMap<object, number>;
}

/**
 * Parses one SQL statement (Spark SQL's SELECT dialect) by recursive descent on top of the
 * expression parser, which it extends with aggregate and window calls and subqueries. Errors are
 * {@link SqlSyntaxError}s naming the line and column, with a caret under the token.
 */
export function parseSql(source: string): Statement {
  try {
    const parser = new SqlParser(source);
    return parser.parseStatement();
  } catch (error) {
    if (error instanceof ExprSyntaxError) throw SqlSyntaxError.at(source, error.column - 1, error.message.replace(/ at column \d+/, '').replace(/ in: [\s\S]*$/, ''));
    throw error;
  }
}

export class SqlParser extends SqlClauseParser {
  /** Where each column reference starts in the text (for "column not found" errors). */
  readonly positions = new WeakMap<object, number>();
  /** Per SELECT being parsed, its `OVER name` calls, resolved by its WINDOW clause. */
  private readonly windowRefs: { call: SqlCallNode; name: string; token: Token }[][] = [];

  parseStatement(): Statement {
    const command = this.parseCommand();
    const explain = !command && this.isKeyword('explain') ? (this.index++, true) : false;
    const query = command ? undefined : this.parseQuery();
    if (this.isOp(';')) this.index++;
    if (this.token.kind !== 'eof') this.fail('the end of the statement');
    return { explain, ...(query ? { query } : {}), ...(command ? { command } : {}), positions: this.positions };
  }

  /** SHOW DATABASES|SCHEMAS, SHOW TABLES [IN|FROM db], DESCRIBE|DESC [TABLE] name (Spark's catalog statements). */
  private parseCommand(): SqlCommand | undefined {
    if (this.isKeyword('show')) {
      this.index++;
      if (this.isKeyword('databases') || this.isKeyword('schemas')) { this.index++; return { kind: 'showDatabases', ...this.parseShowPattern() }; }
      if (!this.isKeyword('tables')) this.fail('DATABASES or TABLES after SHOW');
      this.index++;
      if (!this.isKeyword('in') && !this.isKeyword('from')) return { kind: 'showTables', ...this.parseShowPattern() };
      this.index++;
      return { kind: 'showTables', database: this.parseIdentifier('a database name'), ...this.parseShowPattern() };
    }
    if (this.isKeyword('describe') || this.isKeyword('desc')) {
      this.index++;
      if (this.isKeyword('table')) this.index++;
      const pos = this.token.pos;
      const table = [this.parseIdentifier('a table name')];
      while (this.isOp('.')) { this.index++; table.push(this.parseIdentifier('a table name after \'.\'')); }
      return { kind: 'describe', table, pos };
    }
    return undefined;
  }

  /** `[LIKE] 'pattern'` after SHOW DATABASES / SHOW TABLES. */
  private parseShowPattern(): { pattern?: string } {
    if (this.isKeyword('like')) this.index++;
    if (this.token.kind !== 'string') return {};
    return { pattern: this.next().text };
  }

  private parseQuery(): Query {
    let ctes: Cte[] | undefined;
    if (this.isKeyword('with')) {
      this.index++;
      ctes = [];
      do {
        const nameToken = this.token;
        const name = this.parseIdentifier('a name for the WITH query');
        this.expectKeyword('as');
        this.expectOp('(');
        ctes.push({ name, query: this.parseQuery(), pos: nameToken.pos });
        this.expectOp(')');
      } while (this.isOp(',') && (this.index++, true));
    }
    const query = this.parseSetOps();
    const orderBy = this.parseOrderBy();
    const limit = this.parseLimit();
    // ORDER BY after a plain SELECT belongs to it (it may sort by columns the SELECT drops).
    if (orderBy) query.orderBy = orderBy;
    if (limit !== undefined) query.limit = limit;
    if (ctes) query.ctes = [...ctes, ...(query.ctes ?? [])];
    return query;
  }

  private parseSetOps(): Query {
    let left = this.parseIntersect();
    for (;;) {
      const pos = this.token.pos;
      if (!this.isKeyword('union') && !this.isKeyword('except') && !this.isKeyword('minus')) return left;
      const op = this.isKeyword('union') ? 'union' : 'except';
      this.index++;
      const all = this.parseAllOrDistinct();
      left = { kind: 'setop', op, all, left, right: this.parseIntersect(), pos };
    }
  }

  private parseIntersect(): Query {
    let left = this.parseQueryPrimary();
    while (this.isKeyword('intersect')) {
      const pos = this.next().pos;
      const all = this.parseAllOrDistinct();
      left = { kind: 'setop', op: 'intersect', all, left, right: this.parseQueryPrimary(), pos };
    }
    return left;
  }

  private parseAllOrDistinct(): boolean {
    if (this.isKeyword('all')) { this.index++; return true; }
    if (this.isKeyword('distinct')) this.index++;
    return false;
  }

  private parseQueryPrimary(): Query {
    if (this.isOp('(')) {
      this.index++;
      const query = this.parseQuery();
      this.expectOp(')');
      return query;
    }
    if (this.isKeyword('with')) return this.parseQuery();
    if (this.isKeyword('values')) return { kind: 'select', distinct: false, items: [{ kind: 'star', pos: this.token.pos }], from: this.parseValues(false) };
    return this.parseSelect();
  }

  /** VALUES (1, 'a'), (2, 'b') — or one value per row: VALUES 1, 2 — then, in FROM, [AS] alias[(c1, …)]. */
  private parseValues(aliased: boolean): FromItem {
    const pos = this.next().pos;
    const rows: SqlExpr[][] = [];
    do {
      if (this.isOp('(')) {
        this.index++;
        rows.push(this.parseExprList());
        this.expectOp(')');
      } else rows.push([this.parseOr()]);
    } while (this.isOp(',') && (this.index++, true));
    if (rows.some((r) => r.length !== rows[0].length)) this.fail(`rows of ${rows[0].length} values each in VALUES`);
    return { kind: 'values', rows, pos, ...(aliased ? this.parseTableAlias() : {}) };
  }

  /** `[AS] alias [(c1, c2, …)]` after a FROM item whose columns may be renamed. */
  private parseTableAlias(): { alias?: string; columns?: string[] } {
    const alias = this.parseAlias();
    if (alias === undefined || !this.isOp('(')) return alias === undefined ? {} : { alias };
    this.index++;
    const columns = [this.parseIdentifier('a column name')];
    while (this.isOp(',')) { this.index++; columns.push(this.parseIdentifier('a column name')); }
    this.expectOp(')');
    return { alias, columns };
  }

  private parseSelect(): SelectQuery {
    this.expectKeyword('select');
    const refs: { call: SqlCallNode; name: string; token: Token }[] = [];
    this.windowRefs.push(refs);
    let distinct = false;
    if (this.isKeyword('distinct')) { this.index++; distinct = true; } else if (this.isKeyword('all')) this.index++;
    const items: SelectItem[] = [this.parseSelectItem()];
    while (this.isOp(',')) { this.index++; items.push(this.parseSelectItem()); }
    const query: SelectQuery = { kind: 'select', distinct, items };
    if (this.isKeyword('from')) {
      this.index++;
      let from = this.parseJoined();
      while (this.isOp(',')) {
        const pos = this.next().pos;
        from = { kind: 'join', how: 'cross', left: from, right: this.parseJoined(), pos };
      }
      query.from = from;
    }
    if (this.isKeyword('where')) { this.index++; query.where = this.parseOr(); }
    if (this.isKeyword('group')) {
      this.index++;
      this.expectKeyword('by');
      const { keys, sets } = this.parseGroupBy();
      query.groupBy = keys;
      if (sets) query.groupingSets = sets;
    }
    if (this.isKeyword('having')) { this.index++; query.having = this.parseOr(); }
    this.parseWindowClause(refs);
    return query;
  }

  /** WINDOW w AS (…), … after HAVING: the specs that `OVER w` in this SELECT names. */
  private parseWindowClause(refs: { call: SqlCallNode; name: string; token: Token }[]): void {
    this.windowRefs.pop();
    const specs = new Map<string, WindowSpec>();
    if (this.isKeyword('window')) {
      this.index++;
      do {
        const name = this.parseIdentifier('a window name').toLowerCase();
        this.expectKeyword('as');
        specs.set(name, this.parseWindowSpec());
      } while (this.isOp(',') && (this.index++, true));
    }
    for (const ref of refs) {
      const spec = specs.get(ref.name.toLowerCase());
      if (!spec) this.fail(`a window defined by WINDOW ${ref.name} AS (…) in this SELECT`, ref.token);
      ref.call.over = spec;
    }
  }

  private parseSelectItem(): SelectItem {
    const start = this.token;
    if (this.isOp('*')) { this.index++; return { kind: 'star', pos: start.pos }; }
    if ((start.kind === 'ident' || start.kind === 'quotedIdent') && this.isOp('.', this.peek()) && this.isOp('*', this.peek(2))) {
      this.index += 3;
      return { kind: 'star', qualifier: start.text, pos: start.pos };
    }
    const expr = this.parseOr();
    const text = this.source.slice(start.pos, this.tokens[this.index - 1].end);
    if (this.isKeyword('as') && this.isOp('(', this.peek())) {
      // posexplode(x) AS (p, c): one name per generated column.
      this.index += 2;
      const aliases = [this.parseIdentifier('a column alias')];
      while (this.isOp(',')) { this.index++; aliases.push(this.parseIdentifier('a column alias')); }
      this.expectOp(')');
      return { kind: 'expr', expr, text, pos: start.pos, aliases };
    }
    const alias = this.parseAlias();
    return { kind: 'expr', expr, text, pos: start.pos, ...(alias !== undefined ? { alias } : {}) };
  }

  /** `[AS] name`, where a bare name must not be a keyword that continues the query. */
  private parseAlias(): string | undefined {
    if (this.isKeyword('as')) {
      this.index++;
      return this.parseIdentifier('an alias after AS');
    }
    const t = this.token;
    if (t.kind === 'quotedIdent' || (t.kind === 'ident' && !RESERVED.has(t.text.toLowerCase()))) {
      this.index++;
      return t.text;
    }
    return undefined;
  }

  private parseJoined(): FromItem {
    let left = this.parseRelation();
    for (;;) {
      const pos = this.token.pos;
      if (this.isKeyword('lateral') && this.isKeyword('view', this.peek())) {
        left = this.parseLateralView(left);
        continue;
      }
      const natural = this.isKeyword('natural') ? (this.index++, true) : false;
      const how = this.parseJoinKind();
      if (!how) {
        if (natural) this.fail('JOIN after NATURAL');
        return left;
      }
      if (natural && how === 'cross') this.fail('a join kind other than CROSS after NATURAL (Spark has no NATURAL CROSS JOIN)', this.tokens[this.index - 2]);
      const right = this.parseRelation();
      const join: FromItem = { kind: 'join', how, left, right, pos, ...(natural ? { natural } : {}) };
      if (natural) {
        if (this.isKeyword('on') || this.isKeyword('using')) this.fail('no ON or USING after a NATURAL JOIN (it joins on the columns both sides have)');
      } else if (how !== 'cross') {
        if (this.isKeyword('on')) {
          this.index++;
          join.on = this.parseOr();
        } else if (this.isKeyword('using')) {
          this.index++;
          this.expectOp('(');
          const using = [this.parseIdentifier('a column name')];
          while (this.isOp(',')) { this.index++; using.push(this.parseIdentifier('a column name')); }
          this.expectOp(')');
          join.using = using;
        } else if (how !== 'inner') this.fail(`ON or USING after the ${how.toUpperCase()} JOIN`);
      }
      left = join;
    }
  }

  private parseJoinKind(): SqlJoinType | undefined {
    const word = (offset: number) => (this.peek(offset).kind === 'ident' ? this.peek(offset).text.toLowerCase() : '');
    const sequences: [string[], SqlJoinType][] = [
      [['join'], 'inner'], [['inner', 'join'], 'inner'], [['cross', 'join'], 'cross'],
      [['left', 'join'], 'left'], [['left', 'outer', 'join'], 'left'], [['left', 'semi', 'join'], 'semi'], [['left', 'anti', 'join'], 'anti'],
      [['semi', 'join'], 'semi'], [['anti', 'join'], 'anti'],
      [['right', 'join'], 'right'], [['right', 'outer', 'join'], 'right'],
      [['full', 'join'], 'full'], [['full', 'outer', 'join'], 'full'],
    ];
    for (const [words, how] of sequences) {
      if (words.every((w, i) => word(i) === w)) {
        this.index += words.length;
        return how;
      }
    }
    return undefined;
  }

  /** LATERAL VIEW [OUTER] explode(expr) alias [[AS] c1[, c2 …]] (Spark's Hive-style generator syntax). */
  private parseLateralView(input: FromItem): FromItem {
    const pos = this.token.pos;
    this.index += 2;
    let outer = this.isKeyword('outer') ? (this.index++, true) : false;
    const fnToken = this.token;
    let fn = this.parseIdentifier('a generator function (explode, posexplode)').toLowerCase();
    if (fn.endsWith('_outer')) { outer = true; fn = fn.slice(0, -'_outer'.length); }
    if (fn !== 'explode' && fn !== 'posexplode') this.fail(`explode, posexplode or their _outer forms after LATERAL VIEW ('${fnToken.text}' is not supported)`, fnToken);
    this.expectOp('(');
    const arg = this.parseOr();
    this.expectOp(')');
    const alias = this.parseIdentifier('a table alias after the generator (LATERAL VIEW explode(x) t AS c)');
    const columns: string[] = [];
    if (this.isKeyword('as') || (this.token.kind === 'ident' && !RESERVED.has(this.token.text.toLowerCase())) || this.token.kind === 'quotedIdent') {
      if (this.isKeyword('as')) this.index++;
      columns.push(this.parseIdentifier('a column alias'));
      while (this.isOp(',')) { this.index++; columns.push(this.parseIdentifier('a column alias')); }
    }
    return { kind: 'lateral', input, fn, arg, outer, alias, columns, pos };
  }

  private parseRelation(): FromItem {
    const start = this.token;
    if (this.isKeyword('values')) return this.parseValues(true);
    if (this.isOp('(')) {
      this.index++;
      const query = this.parseQuery();
      this.expectOp(')');
      return { kind: 'subquery', query, pos: start.pos, ...this.parseTableAlias() };
    }
    if (start.kind === 'ident' && PATH_FORMATS.includes(start.text.toLowerCase()) && this.isOp('.', this.peek()) && this.peek(2).kind === 'quotedIdent') {
      const path = this.peek(2).text;
      this.index += 3;
      const alias = this.parseAlias();
      return { kind: 'path', format: start.text.toLowerCase(), path, pos: start.pos, ...(alias !== undefined ? { alias } : {}) };
    }
    const parts = [this.parseIdentifier('a table name, a path (parquet.`path`) or a subquery')];
    while (this.isOp('.')) { this.index++; parts.push(this.parseIdentifier('a table name after \'.\'')); }
    const alias = this.parseAlias();
    return { kind: 'table', parts, pos: start.pos, ...(alias !== undefined ? { alias } : {}) };
  }

  private parseOrderBy(): OrderItem[] | undefined {
    if (!this.isKeyword('order')) return undefined;
    this.index++;
    this.expectKeyword('by');
    return this.parseOrderItems();
  }

  private parseLimit(): number | undefined {
    if (!this.isKeyword('limit')) return undefined;
    this.index++;
    const t = this.token;
    if (t.kind !== 'number' || !/^\d+$/.test(t.text)) this.fail('a row count after LIMIT');
    this.index++;
    return Number(t.text);
  }

  // ---- expression hooks ------------------------------------------------------------------

  protected override parsePrimary(): ExprNode {
    const t = this.token;
    if (t.kind === 'quotedIdent') return this.remember(super.parsePrimary(), t);
    if (this.isOp('(') && (this.isKeyword('select', this.peek()) || this.isKeyword('with', this.peek()))) {
      this.index++;
      const query = this.parseQuery();
      this.expectOp(')');
      return { kind: 'scalarQuery', query, pos: t.pos } as unknown as ExprNode;
    }
    return super.parsePrimary();
  }

  protected override parseWord(t: Token): ExprNode {
    if (CLAUSE_WORDS.has(t.text.toLowerCase()) && !this.isOp('(', this.peek())) this.fail('an expression');
    if (t.text.toLowerCase() === 'exists' && this.isOp('(', this.peek())) {
      this.index += 2;
      const query = this.parseQuery();
      this.expectOp(')');
      return { kind: 'exists', query, pos: t.pos } as unknown as ExprNode;
    }
    return this.remember(super.parseWord(t), t);
  }

  protected override parseInTail(left: ExprNode, negated: boolean): ExprNode {
    if (this.isOp('(') && (this.isKeyword('select', this.peek()) || this.isKeyword('with', this.peek()))) {
      const pos = this.next().pos;
      const query = this.parseQuery();
      this.expectOp(')');
      return { kind: 'inQuery', expr: left, query, negated, pos } as unknown as ExprNode;
    }
    return super.parseInTail(left, negated);
  }

  protected override parseCall(nameToken: Token): ExprNode {
    const fn = nameToken.text.toLowerCase();
    if (GENERATORS.has(fn)) {
      // A generator is no scalar function: the compiler turns it into a LATERAL VIEW (selectGenerators.ts).
      this.index += 2;
      const args = this.isOp(')') ? [] : (this.parseExprList() as ExprNode[]);
      this.expectOp(')');
      if (args.length !== 1) this.fail(`one argument for ${fn}()`, nameToken);
      return this.remember({ kind: 'call', fn, args }, nameToken);
    }
    if (!AGGREGATE_FUNCTIONS.has(fn) && !WINDOW_FUNCTIONS.has(fn)) {
      const node = super.parseCall(nameToken);
      if (this.isKeyword('over')) this.fail(`a window or aggregate function before OVER ('${fn}' is neither)`, nameToken);
      return node;
    }
    this.index += 2;
    const call: SqlCallNode = { kind: 'sqlCall', fn, args: [], distinct: false, star: false, pos: nameToken.pos };
    if (this.isKeyword('distinct')) { this.index++; call.distinct = true; } else if (this.isKeyword('all')) this.index++;
    if (this.isOp('*') && fn === 'count') {
      this.index++;
      call.star = true;
    } else if (!this.isOp(')')) {
      call.args = this.parseExprList();
    }
    this.expectOp(')');
    // first(x) IGNORE NULLS / last(x) IGNORE NULLS
    if (this.isKeyword('ignore') && this.isKeyword('nulls', this.peek())) {
      this.index += 2;
      call.args.push({ kind: 'lit', value: true });
    }
    if (this.isKeyword('over')) {
      this.index++;
      const named = this.token;
      if ((named.kind === 'ident' || named.kind === 'quotedIdent') && !this.isOp('(')) {
        // OVER w: the spec comes from this SELECT's WINDOW clause.
        this.index++;
        const refs = this.windowRefs[this.windowRefs.length - 1];
        if (!refs) this.fail('OVER (…) (a named window needs a SELECT with a WINDOW clause)', named);
        refs.push({ call, name: named.text, token: named });
        call.over = { partitionBy: [], orderBy: [] };
      } else call.over = this.parseWindowSpec();
    } else if (WINDOW_FUNCTIONS.has(fn)) this.fail(`OVER (...) after ${fn}()`);
    return call as unknown as ExprNode;
  }

  private remember(node: ExprNode, t: Token): ExprNode {
    if (node.kind === 'col' || node.kind === 'call') this.positions.set(node, t.pos);
    return node;
  }
}
