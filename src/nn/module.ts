// nn.Module: fields that hold tensors or modules are found by walking the instance's own
// properties in assignment order (no registration calls, no Proxy), as PyTorch's
// __setattr__ registers them. Tensors that require grad are parameters; other tensor
// fields are buffers (in stateDict, not in parameters()).
import { Tensor } from "../tensor.js";
import { noGrad } from "../scope.js";
import { clearGrad, iterationBoundary } from "../storage_access.js";
import { fmt, sameShape } from "../shape.js";

export type StateDict = Record<string, Tensor | Float32Array | ArrayLike<number>>;

export abstract class Module {
  training = true;

  abstract forward(...args: any[]): any;

  /** Direct submodules with their field names. */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    for (const key of Object.keys(this)) {
      const v = (this as any)[key];
      if (v instanceof Module) out.push([key, v]);
    }
    return out;
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every submodule, depth first, with dotted names ("" for this one). */
  namedModules(prefix = ""): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.namedChildren()) {
      out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name));
    }
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  private namedTensors(params: boolean, prefix = ""): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    const walk = (m: Module, pre: string): void => {
      for (const key of Object.keys(m)) {
        const v = (m as any)[key];
        const name = pre ? `${pre}.${key}` : key;
        if (v instanceof Tensor) {
          if (v.requiresGrad === params && !seen.has(v)) { seen.add(v); out.push([name, v]); }
        } else if (v instanceof Module) walk(v, name);
      }
    };
    walk(this, prefix);
    return out;
  }

  /** [name, parameter] pairs with PyTorch's dotted names, e.g. "hidden.0.weight". */
  namedParameters(): [string, Tensor][] {
    return this.namedTensors(true);
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  namedBuffers(): [string, Tensor][] {
    return this.namedTensors(false);
  }

  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Resets the grads of every parameter (to null by default, as PyTorch 2.x). */
  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) {
      clearGrad(p, setToNone);
    }
    iterationBoundary();
  }

  /**
   * Parameters then buffers by dotted name, as detached tensors sharing their storage (as
   * PyTorch's state_dict: no copy; take one with `clone()` to keep a snapshot).
   */
  stateDict(): Record<string, Tensor> {
    const sd: Record<string, Tensor> = {};
    for (const [name, t] of [...this.namedParameters(), ...this.namedBuffers()]) sd[name] = t.detach();
    return sd;
  }

  /**
   * Copies values into parameters and buffers. Every key and shape is checked before
   * anything is written; with strict (the default) missing and unexpected keys are errors.
   */
  loadStateDict(stateDict: StateDict, strict = true): { missingKeys: string[]; unexpectedKeys: string[] } {
    if (stateDict === null || typeof stateDict !== "object") throw new Error("loadStateDict: expected an object mapping names to tensors");
    const own = new Map([...this.namedParameters(), ...this.namedBuffers()]);
    const missingKeys = [...own.keys()].filter((k) => !(k in stateDict));
    const unexpectedKeys = Object.keys(stateDict).filter((k) => !own.has(k));
    const errors: string[] = [];
    if (strict && missingKeys.length) errors.push(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(", ")}.`);
    if (strict && unexpectedKeys.length) errors.push(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(", ")}.`);
    for (const [name, t] of own) {
      if (!(name in stateDict)) continue;
      const v = stateDict[name];
      if (v instanceof Tensor) {
        if (!sameShape(v.shape, t.shape)) {
          errors.push(`size mismatch for ${name}: copying a param with shape ${fmt(v.shape)} from checkpoint, the shape in current model is ${fmt(t.shape)}.`);
        } else if (v.isDisposed) errors.push(`${name}: the tensor in the state dict was released`);
      } else if (v === null || typeof v !== "object" || typeof (v as ArrayLike<number>).length !== "number") {
        errors.push(`${name}: expected a Tensor or an array of numbers, got ${v === null ? "null" : typeof v}`);
      } else if ((v as ArrayLike<number>).length !== t.numel()) {
        errors.push(`size mismatch for ${name}: ${(v as ArrayLike<number>).length} values from checkpoint, the param in current model has shape ${fmt(t.shape)} (${t.numel()} values).`);
      }
    }
    if (errors.length) {
      throw new Error(`Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join("\n\t")}`);
    }
    noGrad(() => {
      for (const [name, t] of own) if (name in stateDict) t.copy_(stateDict[name] as Tensor | ArrayLike<number>);
    });
    return { missingKeys, unexpectedKeys };
  }
}
