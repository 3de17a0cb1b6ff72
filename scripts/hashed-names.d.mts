export declare const HASHED: RegExp;
export declare function isHashedName(file: string): boolean;
