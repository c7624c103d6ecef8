/**
 * A class.
 *
 * ```ts
 * new Box();
 * ```
 */
export declare class Box {
    /** @ignore stands in for PyTorch's private names, which are skipped */
    _hidden: number;
    protected guarded(): void;
    get size(): number;
    set size(v: number);
    /**
     * Documented, with an example.
     *
     * ```ts
     * new Box().open();
     * ```
     */
    open(): void;
}
/**
 * Options.
 *
 * ```ts
 * const o: BoxOptions = { width: 1 };
 * ```
 */
export interface BoxOptions {
    /** Documented field. */
    width?: number;
    height?: number;
}
