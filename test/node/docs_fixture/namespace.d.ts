/**
 * Reached as ns.inner and alias.inner: one symbol.
 *
 * ```ts
 * ns.inner();
 * ```
 */
export declare function inner(): void;
export declare function bare(): void;
