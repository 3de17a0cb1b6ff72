import type { BuildOptions, BuildResult } from 'esbuild';
export declare function bundleServer(entry: string, outdir: string, more?: BuildOptions): Promise<BuildResult>;
