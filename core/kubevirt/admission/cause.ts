import type { AdmissionCause } from "../plan";

/** The VM template prefix every VMI rule reports under when it checks a VirtualMachine. */
export const TEMPLATE_SPEC = "spec.template.spec";

/** Go `field.Child(a, b, …).String()`: the prefix and the children joined with dots. */
export function child(prefix: string, ...names: string[]): string {
  let field = prefix;
  for (const name of names) {
    if (name !== "") field = field === "" ? name : `${field}.${name}`;
  }
  return field;
}

export function invalid(field: string, message: string): AdmissionCause {
  return { type: "FieldValueInvalid", field, message };
}

export function required(field: string, message: string): AdmissionCause {
  return { type: "FieldValueRequired", field, message };
}

export function notSupported(field: string, message: string): AdmissionCause {
  return { type: "FieldValueNotSupported", field, message };
}
