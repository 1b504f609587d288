import type { EmbeddedPgInfo } from './types';

export declare function pgCtl(info: EmbeddedPgInfo, args: string[]): Promise<{ stdout: string; stderr: string }>;
export declare function startServer(info: EmbeddedPgInfo): Promise<void>;
export declare function stopServer(info: EmbeddedPgInfo, mode?: 'smart' | 'fast' | 'immediate'): Promise<void>;
