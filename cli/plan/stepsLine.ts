import type { VmReport } from "./planReport";

/** "step 1 (live): spec...sockets, spec...guest; step 2 (restart): spec...cores", or undefined without steps. */
export function stepsLine(vm: VmReport): string | undefined {
  if (!vm.steps?.length) return undefined;
  return vm.steps.map((s, i) => `step ${i + 1} (${s.kind}): ${s.paths.join(", ")}`).join("; ");
}
