// console.log in Deno prints a tensor as PyTorch does (Deno.customInspect), small and large.
import * as torch from "../../build/torchlet.js";

Deno.test("console.log shows PyTorch's form, not the object's fields (small and summarised)", () => {
  const small = torch.tensor([[1, 2.5], [-3.25, 4]], { requiresGrad: true });
  const want = "tensor([[ 1.0000,  2.5000],\n        [-3.2500,  4.0000]], requiresGrad=true)";
  if (Deno.inspect(small) !== want) throw new Error(`Deno.inspect(small) = ${JSON.stringify(Deno.inspect(small))}`);
  const big = torch.zeros([1000, 1000]);
  const text = Deno.inspect(big);
  if (text !== String(big) || text.length > 1000) throw new Error(`Deno.inspect(big) = ${text.slice(0, 200)}`);
});
