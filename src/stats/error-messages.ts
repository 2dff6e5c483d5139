/** Distinct messages counted per error code: rows of one failure share a few; a flood of unique ones needs no more. */
const MESSAGES_KEPT = 32;

/** The error most rows of a run ended in. */
export interface TopError {
  code: string;
  rows: number;
  /** The server's message given most often for it. */
  message: string;
}

/** Counts error messages per code in bounded memory, to name the one most rows failed with. */
export class ErrorMessages {
  private readonly byCode = new Map<string, Map<string, number>>();

  add(code: string, message: string): void {
    let messages = this.byCode.get(code);
    if (!messages) this.byCode.set(code, (messages = new Map()));
    if (messages.has(message) || messages.size < MESSAGES_KEPT) messages.set(message, (messages.get(message) ?? 0) + 1);
  }

  /** The code more than half the records ended in (`errors`: code → rows), with its commonest message; else undefined. */
  top(errors: ReadonlyMap<string, number>, graded: number): TopError | undefined {
    const errorRows = [...errors.values()].reduce((sum, n) => sum + n, 0);
    const [code, rows] = [...errors].reduce<[string, number]>((best, entry) => (entry[1] > best[1] ? entry : best), ['', 0]);
    if (rows === 0 || rows * 2 <= graded + errorRows) return undefined;
    const [message] = [...(this.byCode.get(code) ?? [])].reduce<[string, number]>((best, entry) => (entry[1] > best[1] ? entry : best), ['', 0]);
    return { code, rows, message };
  }
}
