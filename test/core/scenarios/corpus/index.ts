import type { Scenario } from "../builders";
import { absentInterfaceScenarios, backportScenarios, podNetworkScenarios } from "./backports";
import { cpuScenarios } from "./cpu";
import { deviceScenarios } from "./devices";
import {
  admissionScenarios,
  e2eScenarios,
  gateScenarios,
  hugepagesScenarios,
  instancetypeConflictScenarios,
  runStrategyScenarios,
} from "./e2e";
import {
  cdromScenarios,
  edgeScenarios,
  interactionScenarios,
  moreInteractionScenarios,
  statusScenarios,
} from "./interactions";
import { legacyMigrationScenarios, lifecycleScenarios } from "./lifecycle";
import { memoryScenarios } from "./memory";
import { placementScenarios } from "./placement";
import { quantityScenarios, revertScenarios, rolloutScenarios, stepScenarios } from "./rollout";

/** The whole corpus, in reading order. */
export const SCENARIOS: readonly Scenario[] = [
  ...cpuScenarios,
  ...memoryScenarios,
  ...rolloutScenarios,
  ...placementScenarios,
  ...deviceScenarios,
  ...lifecycleScenarios,
  ...interactionScenarios,
  ...moreInteractionScenarios,
  ...edgeScenarios,
  ...cdromScenarios,
  ...backportScenarios,
  ...statusScenarios,
  ...e2eScenarios,
  ...admissionScenarios,
  ...runStrategyScenarios,
  ...instancetypeConflictScenarios,
  ...gateScenarios,
  ...revertScenarios,
  ...quantityScenarios,
  ...stepScenarios,
  ...hugepagesScenarios,
  ...podNetworkScenarios,
  ...absentInterfaceScenarios,
  ...legacyMigrationScenarios,
];
