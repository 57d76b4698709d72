/** A run of complete lines from a byte stream; `firstLine` is the 1-based number of `lines[0]`. */
export interface LineRun {
  lines: string[];
  firstLine: number;
}

/**
 * Splits a UTF-8 byte stream into lines across chunk boundaries, one run per chunk, so a file of
 * any size is read with one chunk in memory. Strips a trailing `\r` (CRLF files) and a leading BOM.
 */
export async function* textLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<LineRun> {
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let nextLine = 1;
  for await (const chunk of chunks) {
    const decoded = decoder.decode(chunk, { stream: true });
    // A long line spread over many chunks is only gathered, not re-split each time.
    if (!decoded.includes('\n')) {
      carry += decoded;
      continue;
    }
    const text = carry + decoded;
    const lines = text.split('\n');
    carry = lines.pop() ?? '';
    if (lines.length === 0) continue;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (line.endsWith('\r')) lines[i] = line.slice(0, -1);
    }
    yield { lines, firstLine: nextLine };
    nextLine += lines.length;
  }
  const rest = carry + decoder.decode();
  if (rest.length > 0) yield { lines: [rest.endsWith('\r') ? rest.slice(0, -1) : rest], firstLine: nextLine };
}
