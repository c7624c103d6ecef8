// Checks a state dict completely before an optimizer loads it: its two keys, the group count,
// each group's params (as many as the optimizer's group, distinct indices) and options (known
// names only, each validated as the constructor validates it), and each state entry (known
// names only, those the optimizer cannot step without present, each value of its kind and
// size). The result is a plan the optimizer applies without another check; nothing changes
// before the plan exists.
import type { Tensor } from "../tensor.js";
import { nearestName } from "../unknown_option.js";
import { type ParamGroup, SCHEDULER_OPTIONS, type StateKind, type StateSchema } from "./optimizer.js";
import {
  StateDictError, describe, isPlainObject, readBuffer, readCount, readFloat, readList, type Where,
} from "./state_values.js";

/** What the check needs to know of the optimizer. */
export interface LoadTarget {
  readonly name: string;
  readonly defaults: Readonly<Record<string, unknown>>;
  /** Entries the optimizer writes into its groups (not options): optional in a loaded group. */
  readonly groupState: Readonly<Record<string, "count" | "float">>;
  readonly groups: readonly ParamGroup[];
  readonly schema: StateSchema;
  /** The entries every loaded state entry must have. */
  readonly required: readonly string[];
  /** The number of values of a "vector" state entry (all the parameters' values). */
  readonly vectorLength: number;
  /** The constructor's checks of a group's options (PyTorch's messages). */
  validateGroup(group: ParamGroup): void;
  /** Checks between an entry's values (LBFGS's history), after each was read. */
  checkEntry(values: Record<string, unknown>, param: Tensor, group: Record<string, unknown>, where: Where): void;
}

type ShapeFn = (paramShape: readonly number[]) => readonly number[] | null;

/** A tensor option as stateDict() writes it (PyTorch allows a 1-element tensor lr). */
export interface TensorOption { tensor: number; shape: number[] }

export interface LoadPlan {
  /** Each group's options (without params), in the optimizer's group order. */
  groups: Record<string, unknown>[];
  /** Each param's state, values read (buffers as Float32Arrays), in the loaded key order. */
  state: Map<Tensor, Record<string, unknown>>;
}

const CANONICAL_INDEX = /^(0|[1-9][0-9]*)$/;

/** Throws if `obj` has a key not in `known` (with the nearest known name) or lacks one of `needed`. */
function checkKeys(obj: Record<string, unknown>, known: readonly string[], needed: readonly string[], where: Where,
  what: string): void {
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    const near = nearestName(key, known);
    throw new StateDictError(`${where} has ${JSON.stringify(key)}, which is not ${what}` +
      `${near !== null ? ` (did you mean ${JSON.stringify(near)}?)` : ""}; expected ${known.join(", ")}`);
  }
  for (const key of needed) {
    if (!Object.hasOwn(obj, key)) throw new StateDictError(`${where} has no ${key}; expected ${needed.join(", ")}`);
  }
}

/** An option value as stateDict() writes it: a number, boolean, null, string, a pair, or a tensor option. */
function readOption(v: unknown, where: Where): unknown {
  if (Array.isArray(v)) return v.map((x, i) => readOption(x, `${where}[${i}]`));
  if (isPlainObject(v)) {
    checkKeys(v, ["tensor", "shape"], ["tensor", "shape"], where, "part of a tensor option");
    const value = readFloat(v.tensor, `${where}.tensor`);
    const shape = readList(v.shape, `${where}.shape`, "sizes", readCount);
    if (shape.reduce((a, b) => a * b, 1) !== 1) throw new StateDictError(`${where}.shape must have one element (a 1-element tensor); got [${shape.join(", ")}]`);
    return { tensor: value, shape } satisfies TensorOption;
  }
  if (v === null || typeof v === "number" || typeof v === "boolean" || typeof v === "string") return v;
  throw new StateDictError(`${where} must be a number, a boolean, a string, null, an array of them or a tensor option ` +
    `{ tensor, shape }; got ${describe(v)}`);
}

function readState(kind: StateKind, v: unknown, where: Where, param: Tensor, vectorLength: number): unknown {
  switch (kind) {
    case "count": return readCount(v, where);
    case "float": return readFloat(v, where);
    case "vector": return readBuffer(v, vectorLength, where, `${vectorLength} values (all the parameters' values)`);
    case "vectors": return readList(v, where, "vectors", (x, w) => readBuffer(x, vectorLength, w, `${vectorLength} values`));
    case "floats": return readList(v, where, "finite numbers", readFloat);
    case "floatsOrNull": return readList(v, where, "finite numbers or nulls", (x, w) => (x === null ? null : readFloat(x, w)));
    default: {
      const own = kind.shape?.(param.shape);
      if (own === null) {
        throw new StateDictError(`${where}: a parameter of shape [${param.shape.join(", ")}] has no such state`);
      }
      const n = own === undefined ? param.numel() : own.reduce((a, b) => a * b, 1);
      const values = readBuffer(v, n, where, `${n} values (the parameter's shape is [${param.shape.join(", ")}]` +
        `${own === undefined ? "" : `, this state's [${own.join(", ")}]`})`);
      if (kind.nonNegative) {
        const i = values.findIndex((x) => x < 0);
        if (i >= 0) throw new StateDictError(`${where}[${i}] must be ≥ 0 (it accumulates squares or magnitudes); got ${values[i]}`);
      }
      return values;
    }
  }
}

export function planLoad(target: LoadTarget, sd: Record<string, unknown>): LoadPlan {
  checkKeys(sd, ["state", "paramGroups"], ["state", "paramGroups"], "the state dict", "a key of a state dict");
  const { groups } = target;
  const saved = sd.paramGroups;
  if (!Array.isArray(saved)) throw new StateDictError(`paramGroups must be an array of param groups; got ${describe(saved)}`);
  if (saved.length !== groups.length) {
    throw new StateDictError(`paramGroups has ${saved.length} groups, but this ${target.name} has ${groups.length} ` +
      `(loaded state dict has a different number of parameter groups)`);
  }
  const optionNames = Object.keys(target.defaults);
  const paramOf = new Map<number, { param: Tensor; group: Record<string, unknown> }>();
  const plan: LoadPlan = { groups: [], state: new Map() };
  saved.forEach((g: unknown, gi) => {
    const where = `paramGroups[${gi}]`;
    if (!isPlainObject(g)) throw new StateDictError(`${where} must be a param group object; got ${describe(g)}`);
    checkKeys(g, ["params", ...optionNames, ...SCHEDULER_OPTIONS, ...Object.keys(target.groupState)], ["params", ...optionNames],
      where, `an option of ${target.name} or an lr scheduler's`);
    const own = groups[gi].params;
    const idx = g.params;
    if (!Array.isArray(idx) || idx.length !== own.length) {
      throw new StateDictError(`${where}.params must list ${own.length} parameter indices, as this ${target.name}'s group ` +
        `${gi} has ${own.length} params; got ${describe(idx)} (loaded state dict contains a parameter group that ` +
        `doesn't match the size of optimizer's group)`);
    }
    const options: Record<string, unknown> = {};
    for (const key of optionNames) options[key] = readOption(g[key], `${where}.${key}`);
    for (const key of SCHEDULER_OPTIONS) {
      if (!Object.hasOwn(g, key)) continue;
      const v = readOption(g[key], `${where}.${key}`);
      if (typeof v !== "number" && !isPlainObject(v)) {
        throw new StateDictError(`${where}.${key} must be a number (or a tensor option); got ${describe(v)}`);
      }
      options[key] = typeof v === "number" ? readFloat(v, `${where}.${key}`) : v;
    }
    for (const [key, kind] of Object.entries(target.groupState)) {
      if (Object.hasOwn(g, key)) options[key] = kind === "count" ? readCount(g[key], `${where}.${key}`) : readFloat(g[key], `${where}.${key}`);
    }
    const candidate = { ...options, params: own } as ParamGroup;
    if (isPlainObject(candidate.lr)) candidate.lr = (candidate.lr as unknown as TensorOption).tensor;
    try {
      target.validateGroup(candidate);
    } catch (e) {
      throw new StateDictError(`${where}: ${(e as Error).message}`);
    }
    idx.forEach((i: unknown, k) => {
      const n = readCount(i, `${where}.params[${k}]`);
      if (paramOf.has(n)) throw new StateDictError(`${where}.params[${k}] is ${n}, an index listed before`);
      paramOf.set(n, { param: own[k], group: options });
    });
    plan.groups.push(options);
  });

  const state = sd.state;
  if (!isPlainObject(state)) throw new StateDictError(`state must be an object keyed by parameter index; got ${describe(state)}`);
  const names = Object.keys(target.schema);
  // besides the entries every parameter needs, the buffers its shape has (Adafactor's)
  const byShape = names.filter((k) => {
    const kind = target.schema[k];
    return typeof kind === "object" && kind.shape !== undefined && kind.when === undefined;
  });
  const neededBy = (param: Tensor): readonly string[] => byShape.length === 0 ? target.required
    : [...target.required, ...byShape.filter((k) => (target.schema[k] as { shape: ShapeFn }).shape(param.shape) !== null)];
  for (const [key, entry] of Object.entries(state)) {
    const where = `state[${key}]`;
    const owner = CANONICAL_INDEX.test(key) ? paramOf.get(Number(key)) : undefined;
    if (owner === undefined) {
      throw new StateDictError(`state has the key ${JSON.stringify(key)}, which is not the index of a parameter in paramGroups ` +
        `(${[...paramOf.keys()].join(", ")})`);
    }
    if (!isPlainObject(entry)) throw new StateDictError(`${where} must be an object of state values; got ${describe(entry)}`);
    checkKeys(entry, names, neededBy(owner.param), where, `a state ${target.name} keeps`);
    const values: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(entry)) {
      values[name] = readState(target.schema[name], v, `${where}.${name}`, owner.param, target.vectorLength);
    }
    target.checkEntry(values, owner.param, owner.group, where);
    plan.state.set(owner.param, values);
  }
  return plan;
}
