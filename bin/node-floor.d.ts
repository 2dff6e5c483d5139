// Types of node-floor.js, for the tests (TypeScript) that import it.
export declare function nodeFloor(engines: string): [number, number, number];
export declare function belowFloorMessage(found: string, engines: string): string | undefined;
