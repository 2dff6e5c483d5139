// Types of heap-settings.js, for the tests (TypeScript) that import it.
export declare const HEAP_SETTINGS: ReadonlyArray<{ flag: string; userFlags: string[] }>;
export declare function heapFlags(options: { command: string | undefined; args?: string[]; execArgv?: string[]; nodeOptions?: string; v8Defaults?: string }): string[];
export declare function applyHeapSettings(argv?: string[]): string[];
export declare const MALLOC_SETTINGS: Readonly<Record<string, string>>;
export declare const START_FLAGS: ReadonlyArray<{ flag: string; userFlags: string[] }>;
export declare function startSettings(options: {
  command: string | undefined;
  args?: string[];
  env?: Record<string, string | undefined>;
  execArgv?: string[];
  platform?: string;
}): { env: Record<string, string>; flags: string[] };
export declare function restartWithStartSettings(argv?: string[]): void;
