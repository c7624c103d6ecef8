declare module "./box.js" {
    interface Box {
        /** A merged method documented without an example. */
        close(): void;
    }
}
export {};
