// The network: two 3×3 convolutions, each with batch norm, ReLU and 2×2 max pooling
// (8×8 → 4×4 → 2×2), then one linear layer to the ten digits. About 6,200 parameters.
import * as torch from "../../build/torchlet.js";

const { nn } = torch;

export class DigitsCNN extends nn.Module {
  constructor() {
    super();
    this.features = new nn.Sequential(
      new nn.Conv2d(1, 16, 3, { padding: 1 }), new nn.BatchNorm2d(16), new nn.ReLU(), new nn.MaxPool2d(2), // [N, 16, 4, 4]
      new nn.Conv2d(16, 32, 3, { padding: 1 }), new nn.BatchNorm2d(32), new nn.ReLU(), new nn.MaxPool2d(2), // [N, 32, 2, 2]
    );
    this.classifier = new nn.Sequential(new nn.Flatten(), new nn.Linear(32 * 2 * 2, 10));
  }

  forward(x) {
    return this.classifier.forward(this.features.forward(x));
  }
}

/** One line a person can read, for the page's footer. */
export const DESCRIPTION = "Conv2d(1→16, 3×3) · BatchNorm2d · ReLU · MaxPool2d(2) → Conv2d(16→32, 3×3) · BatchNorm2d · ReLU · MaxPool2d(2) → Flatten · Linear(128→10)";
