/**
 * Method plans: a method descriptor compiled once into the stub's request encoder and response
 * decoder and the skel's validating decoder and reply encoder. Generated clients and skels, the
 * CLI codec and the tests all go through these functions. Methods whose parameters all travel
 * inline get an InlinePlan (plan/inline.ts), the others a BufferPlan (plan/buffers.ts).
 */
import type { InterfaceDesc, MethodDesc } from './desc.ts';
import { layoutMethod, signatureOf } from './method-layout.ts';
import { BufferPlan } from './plan/buffers.ts';
import { InlinePlan } from './plan/inline.ts';
import { planShape } from './plan/ops.ts';
import type { CapValues, MethodPlan, RoutValues } from './plan/types.ts';

export type { CapValues, MethodPlan, RoutValues, SkelRequest, StubRequest } from './plan/types.ts';

const planCache = new WeakMap<MethodDesc, MethodPlan>();

function compile(desc: MethodDesc): MethodPlan {
  const layout = layoutMethod(desc);
  const sig = signatureOf(desc);
  const shape = planShape(layout, sig);
  return shape.ops.every((op) => op.kind === 'value') ? new InlinePlan(shape) : new BufferPlan(shape);
}

/** The plan of a method, compiled on first use and cached with the descriptor. */
export function planFor<A extends readonly unknown[] = readonly unknown[], R = RoutValues, C = CapValues>(
  desc: MethodDesc,
): MethodPlan<A, R, C> {
  let plan = planCache.get(desc);
  if (!plan) {
    plan = compile(desc);
    planCache.set(desc, plan);
  }
  // The descriptor decides what the plan reads and returns; the caller's types name that shape.
  return plan as MethodPlan<A, R, C>;
}

/** The plan of method `index` of an interface (generated clients build their plans this way). */
export function planAt<A extends readonly unknown[] = readonly unknown[], R = RoutValues, C = CapValues>(
  iface: InterfaceDesc,
  index: number,
): MethodPlan<A, R, C> {
  const m = iface.methods.find((x) => x.index === index);
  if (m === undefined) throw new RangeError(`${iface.name} has no method ${index}`);
  const plan = planFor<A, R, C>(m);
  plan.nameInterface(iface.name);
  return plan;
}
