type Env = Record<string, string | undefined>;
export type AllocatorPlan = { preload: string | null; env: Record<string, string>; line: string };
export declare const JEMALLOC_CONF: string;
export declare const NODE_FLAGS: readonly string[];
export declare function findJemalloc(machine: { ldconfig: string | null; exists: (path: string) => boolean }): string | null;
export declare function allocatorPlan(machine: { env: Env; platform: string; library: string | null }): AllocatorPlan;
export declare function machineAllocator(env?: Env): AllocatorPlan;
