/** Where the generated flag reference lives (docs/flags.md). */
export declare const REFERENCE_PATH: string;
/** The flag reference as markdown, generated from the built command definitions. */
export declare function renderFlagReference(): Promise<string>;
