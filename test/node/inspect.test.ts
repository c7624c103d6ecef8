// console.log in Node prints a tensor as PyTorch does (util.inspect.custom), small and large.
import { inspect } from "node:util";
import { expect, it } from "vitest";
import * as torch from "../../build/torchlet.js";

it("console.log shows PyTorch's form, not the object's fields (small and summarised)", () => {
  const small = torch.tensor([[1, 2.5], [-3.25, 4]], { requiresGrad: true });
  expect(inspect(small)).toBe("tensor([[ 1.0000,  2.5000],\n        [-3.2500,  4.0000]], requiresGrad=true)");
  const big = torch.zeros([1000, 1000]);
  const text = inspect(big);
  expect(text).toBe(String(big));
  expect(text.length).toBeLessThan(1000);
  expect(inspect({ w: small })).toContain("tensor([[ 1.0000,");
});
