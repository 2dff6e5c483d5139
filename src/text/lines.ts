/**
 * Splits a byte stream into lines at "\n" (a preceding "\r" is dropped), and nowhere else.
 *
 * node:readline also ends a line at U+2028 and U+2029, which JSON allows unescaped inside strings
 * (JSON.stringify leaves them raw): a JSONL record or dataset row holding one, as model output can,
 * would be cut in two and read as invalid JSON. JSON Lines are separated by "\n" only.
 */
export function splitLines(input: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  return split(input, (line) => line.toString('utf8'));
}

/** splitLines, with each line's bytes undecoded: for a reader that checks them before decoding. */
export function splitLineBytes(input: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  return split(input, (line) => line);
}

async function* split<T>(input: AsyncIterable<Buffer | string>, finish: (line: Buffer) => T): AsyncGenerator<T> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    let newline = bytes.indexOf(0x0a, start);
    while (newline !== -1) {
      const piece = bytes.subarray(start, newline);
      const line = pendingBytes === 0 ? piece : Buffer.concat([...pending, piece], pendingBytes + piece.length);
      pending = [];
      pendingBytes = 0;
      yield finish(withoutCr(line));
      start = newline + 1;
      newline = bytes.indexOf(0x0a, start);
    }
    if (start < bytes.length) {
      // Copied: the stream may reuse its chunk's memory once we return to it.
      const rest = Buffer.from(bytes.subarray(start));
      pending.push(rest);
      pendingBytes += rest.length;
    }
  }
  if (pendingBytes > 0) yield finish(withoutCr(Buffer.concat(pending, pendingBytes)));
}

function withoutCr(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === 0x0d ? line.subarray(0, line.length - 1) : line;
}
