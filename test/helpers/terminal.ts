import { Writable } from 'node:stream';

/**
 * A stream that says it is a terminal, keeping every byte written to it; `screen()` replays them
 * the way a terminal would, so a test asserts on the lines a person would see, not on escape codes.
 */
export function fakeTerminal(columns = 160) {
  const chunks: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    }),
    { isTTY: true, columns },
  );
  return { stream, bytes: () => chunks.join(''), screen: () => replay(chunks.join('')) };
}

/**
 * The final lines of a terminal tall enough never to scroll, after `bytes`: printable text
 * overwrites at the cursor, `\n` goes to the start of the next line (as a tty's output processing
 * makes it), `\r` to the start of the line; CSI cursor moves and erases, and ESC 7 / ESC 8 (save and
 * restore the cursor) act; colours and modes (cursor shown, line wrap) change nothing on screen.
 */
export function replay(bytes: string): string[] {
  const lines: string[][] = [[]];
  let row = 0;
  let col = 0;
  let saved = { row: 0, col: 0 };
  const line = () => (lines[row] ??= []);
  const moveTo = (r: number, c: number) => {
    row = Math.max(0, r);
    col = Math.max(0, c);
    for (let i = 0; i <= row; i++) lines[i] ??= [];
  };
  for (let i = 0; i < bytes.length; i++) {
    const char = bytes[i]!;
    if (char === '\n') moveTo(row + 1, 0);
    else if (char === '\r') col = 0;
    else if (char === '\x1b') {
      const next = bytes[i + 1];
      if (next === '7') {
        saved = { row, col };
        i++;
      } else if (next === '8') {
        moveTo(saved.row, saved.col);
        i++;
      } else if (next === '[') {
        const match = /^\[([?\d;]*)([A-Za-z])/.exec(bytes.slice(i + 1));
        if (!match) throw new Error(`an escape sequence the replay does not know at byte ${i}: ${JSON.stringify(bytes.slice(i, i + 8))}`);
        i += match[0].length;
        const [, params = '', command] = match;
        const n = params === '' || params.startsWith('?') ? undefined : Number(params.split(';')[0]);
        switch (command) {
          case 'A': moveTo(row - (n ?? 1), col); break;
          case 'B': moveTo(row + (n ?? 1), col); break;
          case 'C': col += n ?? 1; break;
          case 'D': col = Math.max(0, col - (n ?? 1)); break;
          case 'G': col = (n ?? 1) - 1; break;
          case 'K':
            // 0 (default): cursor to end of line; 1: start to cursor; 2: the whole line.
            if ((n ?? 0) === 0) line().length = Math.min(line().length, col);
            else if (n === 1) for (let c = 0; c <= col && c < line().length; c++) line()[c] = ' ';
            else line().length = 0;
            break;
          case 'J': lines.length = row + 1; line().length = Math.min(line().length, col); break;
          default: break; // m (colours), h / l (modes)
        }
      } else throw new Error(`an escape sequence the replay does not know at byte ${i}: ${JSON.stringify(bytes.slice(i, i + 8))}`);
    } else {
      const current = line();
      while (current.length < col) current.push(' ');
      current[col++] = char;
    }
  }
  return lines.map((chars) => chars.join('').trimEnd());
}
