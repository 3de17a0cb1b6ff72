export interface SetupMachine {
  env: Record<string, string | undefined>;
  platform: string;
  exists: (file: string) => boolean;
  which: (name: string) => string | null;
  isRoot: boolean;
  canSudo: () => boolean;
  osRelease: string | null;
}
export type SetupPlan =
  | { action: 'ready'; browser: string }
  | {
      action: 'install';
      browser: string | null;
      packages: string[];
      update: string[];
      command: string[];
      line: string;
    }
  | { action: 'stop'; line: string };
export declare const TOOLS: ReadonlyArray<{ tool: string; pkg: string; neededBy: string }>;
export declare function isDebianLike(osRelease: string | null): boolean;
export declare function planSetup(machine: SetupMachine): SetupPlan;
