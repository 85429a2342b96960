/** `livevm doctor`: reads the cluster, runs the checks, prints them, and sets the exit status. */

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as k8s from "@kubernetes/client-node";
import { SchemaError } from "../../core/kubevirt/schema/parse";
import { type Command, EXIT } from "../run";
import { diagnose } from "./diagnose";
import { DOCTOR_USAGE, parseDoctorArgs, UsageError } from "./doctorArgs";
import { ClusterReadError, fetchClusterSnapshot } from "./fetchSnapshot";
import { renderJson, renderTable } from "./render";

export interface DoctorIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processIo: DoctorIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/** Loads the kubeconfig the arguments name; throws UsageError with what is wrong. */
export function loadKubeConfig(file: string | undefined, context: string | undefined): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  if (file !== undefined) {
    if (!fs.existsSync(file)) throw new UsageError(`--kubeconfig ${file}: no such file`);
    try {
      kc.loadFromFile(file);
    } catch (e) {
      throw new UsageError(`--kubeconfig ${file}: ${(e as Error).message}`);
    }
  } else {
    // client-node falls back to http://localhost:8080 when it finds nothing; say so instead
    const home = path.join(os.homedir(), ".kube", "config");
    if (!process.env.KUBECONFIG && !fs.existsSync(home) && !process.env.KUBERNETES_SERVICE_HOST) {
      throw new UsageError(`no kubeconfig: pass --kubeconfig, set $KUBECONFIG, or create ${home}`);
    }
    kc.loadFromDefault();
  }
  if (context !== undefined) {
    const names = kc.getContexts().map((c) => c.name);
    if (!names.includes(context)) {
      throw new UsageError(
        `--context ${context}: no such context in the kubeconfig (it has: ${names.join(", ") || "none"})`,
      );
    }
    kc.setCurrentContext(context);
  }
  if (!kc.getCurrentCluster()) {
    throw new UsageError(
      "no Kubernetes cluster configured: pass --kubeconfig, set $KUBECONFIG, or create ~/.kube/config",
    );
  }
  return kc;
}

export async function runDoctor(argv: readonly string[], io: DoctorIo = processIo): Promise<number> {
  try {
    const args = parseDoctorArgs(argv);
    if (args.help) {
      io.stdout(DOCTOR_USAGE + "\n");
      return EXIT.ok;
    }
    const kc = loadKubeConfig(args.kubeconfig, args.context);
    const contextNamespace = kc.getContextObject(kc.getCurrentContext())?.namespace;
    const snapshot = await fetchClusterSnapshot(kc, {
      ...(args.namespace ? { namespace: args.namespace } : {}),
      vmNames: args.vms,
      defaultNamespace: contextNamespace ?? "default",
    });
    const diagnosis = diagnose(snapshot);
    io.stdout(args.output === "json" ? renderJson(diagnosis) : renderTable(diagnosis));
    return diagnosis.blocking ? EXIT.restart : EXIT.ok;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`livevm doctor: ${e.message}\n\n${DOCTOR_USAGE}\n`);
      return EXIT.usage;
    }
    if (e instanceof ClusterReadError || e instanceof SchemaError) {
      io.stderr(`livevm doctor: ${e.message}\n`);
      return EXIT.error;
    }
    throw e;
  }
}

export const doctorCommand: Command = {
  summary: "check a cluster and its VMs for what blocks live CPU/memory updates",
  run: (args) => runDoctor(args),
};
