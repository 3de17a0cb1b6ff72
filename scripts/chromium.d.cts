export interface Machine {
  env?: Record<string, string | undefined>;
  platform?: string;
  exists?: (file: string) => boolean;
}
export declare const CHROMIUM_FLAGS: string[];
export declare const BROWSER_NAMES: string[];
export declare function isExecutable(file: string): boolean;
export declare function findOnPath(name: string, machine?: Machine): string | null;
export declare function findBrowser(machine?: Machine): string | null;
export declare function findChromium(): string | null;
export declare function requireChromium(): string;
