/**
 * What SequentialLR and ChainedScheduler share: child schedulers of one optimizer, and a
 * state dict whose `_schedulers` holds the children's state dicts (PyTorch's), loaded all
 * or nothing: every child's dict is checked before anything is assigned.
 */
import type { Optimizer } from "../optimizer.js";
import { LRScheduler } from "./base.js";
import { bad, describe } from "./check.js";
import { ReduceLROnPlateau } from "./reduce_lr_on_plateau.js";
import { elements, type StateCheck } from "./state.js";

/** Checks the child schedulers of SequentialLR / ChainedScheduler (PyTorch's messages). */
export function checkSchedulers(owner: string, schedulers: unknown, optimizer: Optimizer | undefined): LRScheduler[] {
  if (!Array.isArray(schedulers)) {
    throw new TypeError(`${owner}: schedulers must be an array of schedulers, got ${describe(schedulers)}`);
  }
  if (schedulers.length < 1) throw new RangeError(`${owner} expects at least one scheduler, but got no scheduler.`);
  const opt = optimizer ?? (schedulers[0] as LRScheduler)?.optimizer;
  schedulers.forEach((s, i) => {
    if (!(s instanceof LRScheduler)) {
      throw new TypeError(`${owner}: schedulers[${i}] is ${describe(s)}, not a learning rate scheduler`);
    }
    if (s instanceof ReduceLROnPlateau) {
      throw new TypeError(
        `${owner} does not support \`ReduceLROnPlateau\` scheduler as it requires additional kwargs to be ` +
          `specified when calling \`step\`, but got one at index ${i} in the given schedulers sequence.`,
      );
    }
    if (s.optimizer !== opt) {
      throw new RangeError(
        `${owner} expects all schedulers to belong to the same optimizer, but got scheduler ` +
          `${s._name} at index ${i} with a different optimizer.`,
      );
    }
  });
  return [...schedulers];
}

export abstract class CompositeScheduler extends LRScheduler {
  declare _schedulers: LRScheduler[];

  /**
   * The scheduler's state (see `LRScheduler.stateDict`), with `_schedulers` holding each
   * child's state dict, as PyTorch's; `loadStateDict` loads all of them or none.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.ChainedScheduler([new optim.lrScheduler.ExponentialLR(opt, { gamma: 0.9 })]);
   * (sched.stateDict()._schedulers as unknown[]).length; // 1
   * ```
   */
  override stateDict(): Record<string, unknown> {
    const { _schedulers: _, ...rest } = super.stateDict();
    return { ...rest, _schedulers: this._schedulers.map((s) => s.stateDict()) };
  }

  /** `_schedulers`: one state dict per child, each checked by that child. */
  protected _childStates(): StateCheck {
    const children = this._schedulers;
    return (v, key, c) => {
      const items = elements(v);
      if (items === null || items.length !== children.length) {
        bad(c.owner, key, `an array of ${children.length} state dicts (one per scheduler)`, v);
      }
      return items.map((sd, i) => children[i]._checkState(sd, c, `${key}[${i}].`));
    };
  }

  /** This scheduler's restore point and its children's. */
  override _restorePoint(): () => void {
    const points = [super._restorePoint(), ...this._schedulers.map((s) => s._restorePoint())];
    return () => {
      for (const restore of points) restore();
    };
  }

  override _applyState(state: Record<string, unknown>): void {
    const { _schedulers: children, ...rest } = state;
    super._applyState(rest);
    (children as Record<string, unknown>[]).forEach((s, i) => this._schedulers[i]._applyState(s));
  }
}
