/**
 * Documented overload, with an example.
 *
 * ```ts
 * pick(1);
 * ```
 */
export declare function pick(a: number): number;
export declare function pick(a: string): string;
/**
 * A block that is not an example (no ts/js info string):
 *
 * ```
 * y ← x
 * ```
 */
export declare const stated: number;
