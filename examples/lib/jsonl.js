// What the example scripts share: failing with the script's name, the argument loop, reading JSONL
// with the file and line in every message, and writing JSONL to a file or stdout. Plain Node, no
// dependencies, so that a script still runs from a checkout with nothing installed.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The helpers of one script: `name` prefixes every message it writes to stderr, `usage` is printed
 * by -h / --help and after an argument error.
 */
export function script(name, usage) {
  // `| head` closing the pipe early is not an error.
  process.stdout.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });

  /** Prints "<name>: <message>" to stderr and exits 1. */
  function fail(message) {
    process.stderr.write(`${name}: ${message}\n`);
    process.exit(1);
  }

  /**
   * Walks argv and returns its one positional argument (required). `option(arg, next)` handles the
   * script's own flags, calling next() for a flag's value (undefined past the end), and returns
   * false for an argument it does not know; -h / --help and anything else left are handled here.
   */
  function parseArgs(argv, option) {
    let positional;
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (option(arg, () => argv[++i])) continue;
      if (arg === '-h' || arg === '--help') {
        process.stdout.write(`${usage}\n`);
        process.exit(0);
      } else if (arg.startsWith('-') || positional !== undefined) {
        fail(`unexpected argument "${arg}"\n${usage}`);
      } else {
        positional = arg;
      }
    }
    if (positional === undefined) fail(usage);
    return positional;
  }

  /**
   * The objects of a JSONL file, each with its line number for messages, one at a time: a line that
   * is not JSON stops the script when it is reached, after the rows before it. Split at \n only:
   * JSON leaves U+2028 / U+2029 raw inside strings.
   */
  function* eachJsonl(file) {
    let text;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      fail(`cannot read ${file}: ${error.message}`);
    }
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].trim() === '') continue;
      let value;
      try {
        value = JSON.parse(lines[i]);
      } catch (error) {
        fail(`${file}:${i + 1}: not JSON (${error.message})`);
      }
      yield { value, line: i + 1 };
    }
  }

  /** All the objects of a JSONL file, each with its line number; a line that is not JSON stops the script first. */
  function readJsonl(file) {
    return [...eachJsonl(file)];
  }

  /**
   * Writes rows as JSONL to `out`, making its folder, and then `summary(out)` to stderr; or, without
   * `out`, to stdout and nothing to stderr.
   */
  function writeJsonl(rows, out, summary) {
    const text = rows.length === 0 ? '' : `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`;
    if (out) {
      mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
      writeFileSync(out, text);
      process.stderr.write(`${name}: ${summary(out)}\n`);
    } else {
      process.stdout.write(text);
    }
  }

  return { fail, parseArgs, eachJsonl, readJsonl, writeJsonl };
}
