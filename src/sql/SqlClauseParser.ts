import { ExprParser } from '../expr/parser.js';
import type { OrderItem, SqlExpr, WindowFrame, WindowSpec } from './ast.js';

/** ROLLUP (a, b): (a, b), (a), (). */
function rollupSets(list: SqlExpr[]): SqlExpr[][] {
  return Array.from({ length: list.length + 1 }, (_, i) => list.slice(0, list.length - i));
}

/** CUBE (a, b): every subset, largest first: (a, b), (a), (b), (). */
function cubeSets(list: SqlExpr[]): SqlExpr[][] {
  const sets: SqlExpr[][] = [];
  for (let mask = (1 << list.length) - 1; mask >= 0; mask--) sets.push(list.filter((_, i) => (mask & (1 << (list.length - 1 - i))) !== 0));
  return sets.sort((a, b) => b.length - a.length);
}

/**
 * The list-shaped clauses of Spark SQL, below the statement grammar (SqlParser.ts): GROUP BY keys
 * with ROLLUP, CUBE and GROUPING SETS, ORDER BY items, window specifications and their frames.
 */
export abstract class SqlClauseParser extends ExprParser {
  /**
   * GROUP BY keys, where ROLLUP (…), CUBE (…) and GROUPING SETS ((…), …) (and `WITH ROLLUP` /
   * `WITH CUBE` after a plain list) expand to key sets; several multiply out, as in Spark.
   */
  protected parseGroupBy(): { keys: SqlExpr[]; sets?: SqlExpr[][] } {
    const keys: SqlExpr[] = [];
    let sets: SqlExpr[][] = [[]];
    let expanded = false;
    const times = (more: SqlExpr[][]) => { sets = sets.flatMap((s) => more.map((m) => [...s, ...m])); expanded = true; };
    do {
      if ((this.isKeyword('rollup') || this.isKeyword('cube')) && this.isOp('(', this.peek())) {
        const cube = this.next().text.toLowerCase() === 'cube';
        this.expectOp('(');
        const list = this.parseExprList();
        this.expectOp(')');
        keys.push(...list);
        times(cube ? cubeSets(list) : rollupSets(list));
      } else if (this.isKeyword('grouping') && this.isKeyword('sets', this.peek())) {
        this.index += 2;
        this.expectOp('(');
        const groups: SqlExpr[][] = [];
        do {
          if (this.isOp('(')) {
            this.index++;
            groups.push(this.isOp(')') ? [] : this.parseExprList());
            this.expectOp(')');
          } else groups.push([this.parseOr()]);
        } while (this.isOp(',') && (this.index++, true));
        this.expectOp(')');
        keys.push(...groups.flat());
        times(groups);
      } else {
        const key = this.parseOr();
        keys.push(key);
        sets = sets.map((s) => [...s, key]);
      }
    } while (this.isOp(',') && (this.index++, true));
    if (this.isKeyword('with') && (this.isKeyword('rollup', this.peek()) || this.isKeyword('cube', this.peek()))) {
      this.index++;
      const cube = this.next().text.toLowerCase() === 'cube';
      return { keys, sets: cube ? cubeSets(keys) : rollupSets(keys) };
    }
    return expanded ? { keys, sets } : { keys };
  }

  protected parseExprList(): SqlExpr[] {
    const list: SqlExpr[] = [this.parseOr()];
    while (this.isOp(',')) { this.index++; list.push(this.parseOr()); }
    return list;
  }

  protected parseIdentifier(what: string): string {
    const t = this.token;
    if (t.kind !== 'ident' && t.kind !== 'quotedIdent') this.fail(what);
    this.index++;
    return t.text;
  }

  protected parseOrderItems(): OrderItem[] {
    const items: OrderItem[] = [];
    do {
      const pos = this.token.pos;
      const expr = this.parseOr();
      let descending = false;
      if (this.isKeyword('asc')) this.index++;
      else if (this.isKeyword('desc')) { this.index++; descending = true; }
      let nullsFirst: boolean | undefined;
      if (this.isKeyword('nulls')) {
        this.index++;
        if (this.isKeyword('first')) nullsFirst = true;
        else if (this.isKeyword('last')) nullsFirst = false;
        else this.fail('FIRST or LAST after NULLS');
        this.index++;
      }
      items.push({ expr, descending, pos, ...(nullsFirst !== undefined ? { nullsFirst } : {}) });
    } while (this.isOp(',') && (this.index++, true));
    return items;
  }

  protected parseWindowSpec(): WindowSpec {
    this.expectOp('(');
    const spec: WindowSpec = { partitionBy: [], orderBy: [] };
    if (this.isKeyword('partition')) {
      this.index++;
      this.expectKeyword('by');
      spec.partitionBy = this.parseExprList();
    }
    if (this.isKeyword('order') || this.isKeyword('sort')) {
      this.index++;
      this.expectKeyword('by');
      spec.orderBy = this.parseOrderItems();
    }
    if (this.isKeyword('rows') || this.isKeyword('range')) spec.frame = this.parseFrame();
    this.expectOp(')');
    return spec;
  }

  protected parseFrame(): WindowFrame {
    const unit = this.next().text.toLowerCase() as 'rows' | 'range';
    if (this.isKeyword('between')) {
      this.index++;
      const start = this.parseBound();
      this.expectKeyword('and');
      return { unit, start, end: this.parseBound() };
    }
    return { unit, start: this.parseBound(), end: 0 };
  }

  /** UNBOUNDED PRECEDING/FOLLOWING → null, CURRENT ROW → 0, n PRECEDING → -n, n FOLLOWING → n. */
  protected parseBound(): number | null {
    if (this.isKeyword('unbounded')) {
      this.index++;
      if (!this.isKeyword('preceding') && !this.isKeyword('following')) this.fail('PRECEDING or FOLLOWING');
      this.index++;
      return null;
    }
    if (this.isKeyword('current')) {
      this.index++;
      this.expectKeyword('row');
      return 0;
    }
    const t = this.token;
    if (t.kind !== 'number' || !/^\d+$/.test(t.text)) this.fail('UNBOUNDED, CURRENT ROW or a row count');
    this.index++;
    if (this.isKeyword('preceding')) { this.index++; return -Number(t.text); }
    if (this.isKeyword('following')) { this.index++; return Number(t.text); }
    return this.fail('PRECEDING or FOLLOWING');
  }
}
