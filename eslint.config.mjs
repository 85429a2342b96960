import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", ".tools/**", "**/node_modules/**", "**/*.js", "**/*.mjs", "**/*.cjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-imports": "off",
    },
  },
  {
    // core/ is pure: no I/O, no Pulumi, nothing of ours above it.
    files: ["core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "@pulumi/*",
                "@kubernetes/*",
                "@grpc/*",
                "node:fs",
                "node:fs/*",
                "node:net",
                "node:http",
                "node:child_process",
                "fs",
                "net",
                "http",
                "child_process",
              ],
              message: "core/ is pure domain logic: no I/O, no Pulumi",
            },
            {
              group: ["**/provider/**", "**/sdk/**", "**/components/**", "**/cli/**", "**/sandbox/**"],
              message: "core/ imports nothing above it",
            },
          ],
        },
      ],
    },
  },
  {
    // Only cli and tests may reach into provider internals.
    files: ["sdk/**/*.ts", "components/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/provider/**", "**/cli/**"], message: "provider internals are for cli and tests only" },
          ],
        },
      ],
    },
  },
  {
    // sandbox/ models KubeVirt on its own: it must never use core's planner, admission or defaults,
    // so that tests comparing the two can fail. Nor does it reach into provider or cli.
    files: ["sandbox/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "**/core/kubevirt/planner*",
                "**/core/kubevirt/planner/**",
                "**/core/kubevirt/admission*",
                "**/core/kubevirt/admission/**",
                "**/core/kubevirt/defaults*",
                "**/core/kubevirt/defaults/**",
                "**/core/kubevirt/index*",
                "**/core/index*",
              ],
              message: "sandbox/ must model KubeVirt independently of core's planner, admission and defaults",
            },
            { group: ["**/provider/**", "**/cli/**"], message: "provider internals are for cli and tests only" },
          ],
        },
      ],
    },
  },
);
