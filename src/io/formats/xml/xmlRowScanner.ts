/** One occurrence of the row element: its whole text and the 1-based line it starts on. */
export interface RowElement {
  text: string;
  line: number;
  /** Set when the input ended inside the element. */
  unterminated?: boolean;
}

/** Markup whose insides must not be taken for tags: a `<order>` in a comment or CDATA is text. */
const OPAQUE: Array<[open: string, close: string]> = [
  ['<!--', '-->'],
  ['<![CDATA[', ']]>'],
  ['<?', '?>'],
  ['<!', '>'], // DOCTYPE and the like, after the two above
];

/** Longest opener in OPAQUE: a `<` this close to the end may be an unfinished opener. */
const OPENER_ROOM = Math.max(...OPAQUE.map(([open]) => open.length));

const isNameEnd = (char: string | undefined) => char === undefined || char === '>' || char === '/' || /\s/.test(char);

/** The index of the `>` ending the tag that starts at `from`, skipping quoted attribute values; -1 if not in the buffer. */
function tagEnd(text: string, from: number): number {
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return -1;
}

/**
 * Finds the `<rowTag …>…</rowTag>` and `<rowTag …/>` elements in a stream of bytes without
 * parsing the whole document: a small tag scanner that skips comments, CDATA, processing
 * instructions and quoted attribute values, and counts nesting of the row tag itself. Chunks may
 * split anywhere (even inside a multi-byte character or a tag); yields the rows each chunk completes.
 */
export async function* scanRowElements(chunks: AsyncIterable<Uint8Array>, rowTag: string): AsyncGenerator<RowElement[]> {
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  let pos = 0; // next index to scan
  let rowStart = -1; // index of the open row's `<`, or -1
  let rowLine = 0;
  let depth = 0;
  let line = 1; // line number at index `counted`
  let counted = 0;
  const lineAt = (index: number) => {
    for (; counted < index; counted++) if (buffer.charCodeAt(counted) === 10) line++;
    return line;
  };

  const scan = (final: boolean): RowElement[] => {
    const rows: RowElement[] = [];
    for (;;) {
      const lt = buffer.indexOf('<', pos);
      if (lt < 0) {
        pos = buffer.length;
        break;
      }
      const next = buffer.charCodeAt(lt + 1);
      if (next === 33 /* ! */ || next === 63 /* ? */ || Number.isNaN(next)) {
        if (!final && buffer.length - lt < OPENER_ROOM) {
          // `<![CD` at the end of a chunk may still become CDATA: wait for more.
          pos = lt;
          break;
        }
        const opaque = OPAQUE.find(([open]) => buffer.startsWith(open, lt));
        if (opaque) {
          const close = buffer.indexOf(opaque[1], lt + opaque[0].length);
          if (close < 0) {
            pos = lt;
            break;
          }
          pos = close + opaque[1].length;
          continue;
        }
      }
      const end = tagEnd(buffer, lt + 1);
      if (end < 0) {
        pos = lt;
        break;
      }
      pos = end + 1;
      const closing = buffer[lt + 1] === '/';
      const nameStart = lt + (closing ? 2 : 1);
      if (!buffer.startsWith(rowTag, nameStart) || !isNameEnd(buffer[nameStart + rowTag.length])) continue;
      const selfClosing = !closing && buffer[end - 1] === '/';
      if (closing) {
        if (depth === 0) continue; // a stray close tag outside any row: not ours to judge
        if (--depth === 0) {
          rows.push({ text: buffer.slice(rowStart, pos), line: rowLine });
          rowStart = -1;
        }
      } else if (depth === 0) {
        rowLine = lineAt(lt);
        if (selfClosing) rows.push({ text: buffer.slice(lt, pos), line: rowLine });
        else {
          rowStart = lt;
          depth = 1;
        }
      } else if (!selfClosing) depth++;
    }
    // Drop what no row needs any more, keeping line counting in step.
    const keep = rowStart >= 0 ? rowStart : pos;
    if (keep > 0) {
      lineAt(keep);
      buffer = buffer.slice(keep);
      pos -= keep;
      counted -= keep;
      if (rowStart >= 0) rowStart = 0;
    }
    return rows;
  };

  for await (const chunk of chunks) {
    buffer += decoder.decode(chunk, { stream: true });
    const rows = scan(false);
    if (rows.length) yield rows;
  }
  buffer += decoder.decode();
  const rows = scan(true);
  if (rowStart >= 0) rows.push({ text: buffer.slice(rowStart), line: rowLine, unterminated: true });
  if (rows.length) yield rows;
}
