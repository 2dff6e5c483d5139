/** Stores each distinct text once and hands out its index: a prompt's system message is shared by every row. */
export class TextPool {
  private readonly indexOf = new Map<string, number>();
  readonly texts: string[] = [];

  /** The index of `text`, added when new. */
  intern(text: string): number {
    let index = this.indexOf.get(text);
    if (index === undefined) {
      index = this.texts.length;
      this.texts.push(text);
      this.indexOf.set(text, index);
    }
    return index;
  }
}
