import type { Document } from 'yaml';

/** yaml's own guard against exponential alias expansion (its default, named here on purpose). */
const MAX_ALIAS_COUNT = 100;

/**
 * A parsed YAML document's data, or why its aliases cannot be expanded: an alias bomb ("billion
 * laughs") or an alias to no anchor, for which yaml throws a bare ReferenceError.
 */
export function yamlData(doc: Document): { ok: true; data: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    return { ok: false, message: error.message };
  }
}
