/**
 * The field groups the VM controller treats as one unit (rules §1.1): each leaf change belongs to one.
 * Live-updatable groups are copied as a whole from the current spec onto the start spec ("neutralised").
 */
export type FieldGroup =
  | "cpuSockets"
  | "memoryGuest"
  | "nodeSelector"
  | "affinity"
  | "tolerations"
  | "volumes"
  | "disks"
  | "network"
  | "firmwareUuid"
  /** any other field of spec.template.spec: RestartRequired */
  | "templateSpec"
  | "templateMetadata"
  | "runStrategy"
  | "instancetype"
  | "liveUpdateFeatures"
  /** VM-level spec fields that the controller does not compare (dataVolumeTemplates, updateVolumesStrategy, …) */
  | "vmSpec"
  | "vmMetadata";

/** Classifies a leaf by its field names (without list selectors), starting at the VM root. */
export function fieldGroup(fields: readonly string[]): FieldGroup {
  const root = fields[0];
  const f1 = fields[1];
  const f2 = fields[2];
  const f3 = fields[3];
  const f4 = fields[4];
  const f5 = fields[5];
  if (root === "metadata") return "vmMetadata";
  if (root !== "spec") return "vmSpec";
  switch (f1) {
    case "runStrategy":
    case "running":
      return "runStrategy";
    case "instancetype":
    case "preference":
      return "instancetype";
    case "liveUpdateFeatures":
      return "liveUpdateFeatures";
    case "template":
      break;
    default:
      return "vmSpec";
  }
  if (f2 === "metadata") return "templateMetadata";
  if (f2 !== "spec") return "templateSpec";
  switch (f3) {
    case "nodeSelector":
      return "nodeSelector";
    case "affinity":
      return "affinity";
    case "tolerations":
      return "tolerations";
    case "volumes":
      return "volumes";
    case "networks":
      return "network";
    case "domain":
      if (f4 === "cpu" && f5 === "sockets") return "cpuSockets";
      if (f4 === "memory" && f5 === "guest") return "memoryGuest";
      if (f4 === "devices" && f5 === "disks") return "disks";
      if (f4 === "devices" && f5 === "interfaces") return "network";
      if (f4 === "firmware" && f5 === "uuid") return "firmwareUuid";
      return "templateSpec";
    default:
      return "templateSpec";
  }
}

/** The groups KubeVirt can treat as live-updatable (neutralised in the RestartRequired comparison). */
export const LIVE_GROUPS: ReadonlySet<FieldGroup> = new Set([
  "cpuSockets",
  "memoryGuest",
  "nodeSelector",
  "affinity",
  "tolerations",
  "volumes",
  "disks",
  "network",
  "firmwareUuid",
]);
