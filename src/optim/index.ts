// Filled in by the optimizers work.
export {};
