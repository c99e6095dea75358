export declare const DEFAULT_SERVER_HEAP_MB: number;
export declare function serverNodeArgs(env?: Record<string, string | undefined>): string[];
