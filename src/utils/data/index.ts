// torch.utils.data: datasets, randomSplit, DataLoader and its default collate.
export { Dataset, TensorDataset, Subset } from "./dataset.js";
export { randomSplit } from "./random_split.js";
export { DataLoader, type DataLoaderOptions } from "./dataloader.js";
export { defaultCollate } from "./collate.js";
