import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/** A parsed YAML file that can say on which line a value sits. */
export interface LocatedYaml {
  doc: Document;
  lines: LineCounter;
}

/**
 * The 1-based line of the value at `path` (keys and list indexes, as a zod issue's path): the line
 * of its key for a mapping entry, of the item for a list entry. A path that goes further than the
 * file (a key that is missing) gives the line of the deepest part that is there, so "suite qa has no
 * dataset" points at `qa:`.
 */
export function lineOf({ doc, lines }: LocatedYaml, path: readonly PropertyKey[]): number | undefined {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0];
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(step));
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(step)] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lines.linePos(offset).line;
}
