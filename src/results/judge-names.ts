/**
 * How a panel's judges are named in records: a vote's `judge`, and the panel's `judge.model` (the
 * names joined by ','). Readers (the summary's cost by model) turn a name back into its model here.
 */

/** A judge as a panel names it: its model and, when it has one of its own, the base URL it is asked at. */
export interface NamedJudge {
  model: string;
  baseUrl?: string;
}

/** `@http://` or `@https://`: where a judge's model ends and its base URL begins (model names may hold '@'). */
const URL_START = /@(?=https?:\/\/)/i;

/**
 * Each judge's name: its model, with `@<base-url>` when another judge of the panel has the same
 * model, so two servers of one model stay apart and the usual case stays short.
 */
export function judgeNames(judges: readonly NamedJudge[]): string[] {
  return judges.map((judge) => {
    const shared = judges.filter((other) => other.model === judge.model).length > 1;
    return shared && judge.baseUrl !== undefined ? `${judge.model}@${judge.baseUrl}` : judge.model;
  });
}

/** The model a judge's name stands for: the name up to its `@http(s)://…`, if any. */
export function modelOfJudgeName(name: string): string {
  const at = name.search(URL_START);
  return at === -1 ? name : name.slice(0, at);
}

/** Splits `<model>@<base-url>` at the '@' that starts the URL; no URL when there is none. */
export function splitModelAndUrl(text: string): NamedJudge {
  const at = text.search(URL_START);
  return at === -1 ? { model: text } : { model: text.slice(0, at), baseUrl: text.slice(at + 1) };
}

/** A panel's `judge.model` in its records and manifest: the judges' names in the order they were named. */
export function panelModel(names: readonly string[]): string {
  return names.join(',');
}
