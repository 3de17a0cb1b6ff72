export type ExtensionTarget = 'chromium' | 'firefox';
export declare const TARGETS: readonly ExtensionTarget[];
export declare function buildExtension(options?: {
  outDir?: string;
  targets?: readonly ExtensionTarget[];
  lint?: boolean;
  zip?: boolean;
}): Promise<Partial<Record<ExtensionTarget, string>>>;
