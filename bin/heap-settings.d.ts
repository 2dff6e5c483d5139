// Types of heap-settings.js, for the tests (TypeScript) that import it.
export declare const HEAP_SETTINGS: ReadonlyArray<{ flag: string; userFlags: string[] }>;
export declare function heapFlags(options: { command: string | undefined; args?: string[]; execArgv?: string[]; nodeOptions?: string; v8Defaults?: string }): string[];
export declare function applyHeapSettings(argv?: string[]): string[];
