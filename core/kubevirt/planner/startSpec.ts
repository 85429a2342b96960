import type { VmiSpec } from "../schema/common";
import type { VirtualMachine } from "../schema/virtualMachine";
import type { VirtualMachineInstance } from "../schema/virtualMachineInstance";

/**
 * The spec the VMI started with (the controller's start revision): `before`'s template, except where the running
 * VMI shows a non-live value that differs (cores, threads), which means the template changed after the start
 * (a RestartRequired is pending) and the VMI's value is the start value.
 */
export function startSpecOf(
  before: VirtualMachine,
  vmi: VirtualMachineInstance | undefined,
  messages: string[],
): VmiSpec {
  const template: VmiSpec = before.spec.template.spec ?? {};
  const cpu = template.domain?.cpu;
  const vmiCpu = vmi?.spec.domain?.cpu;
  if (!cpu || !vmiCpu) return template;
  const fixed: Record<string, number> = {};
  for (const field of ["cores", "threads"] as const) {
    const mine = cpu[field];
    const running = vmiCpu[field];
    if (mine !== undefined && mine !== 0 && running !== undefined && running !== 0 && mine !== running) {
      fixed[field] = running;
    }
  }
  if (Object.keys(fixed).length === 0) return template;
  messages.push(
    `the VMI runs with ${Object.entries(fixed)
      .map(([k, v]) => `${k} ${v}`)
      .join(
        " and ",
      )}, which \`before\` no longer has: its template changed after the VM started (RestartRequired is pending); the VMI's values are taken as the start spec`,
  );
  return { ...template, domain: { ...template.domain, cpu: { ...cpu, ...fixed } } };
}
