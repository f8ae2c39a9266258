// ESLint for agent-platform (`npm run lint`). A small rule set; docs/development.md#lint-and-format
// says why each rule is here. Layout is Prettier's job (`npm run format:check`): no style rules.
//
// - eslint's and typescript-eslint's `recommended` sets, syntax-only: bugs a reviewer should not
//   have to spot (`any` leaking into the program, `@ts-ignore`, duplicate keys, a rethrow that
//   drops the caught error, ...). Type-aware linting, which `no-floating-promises` needs, re-runs
//   the type-checker: with `no-floating-promises` and `no-misused-promises` it took 35 s and
//   1.5 GB against 11 s and 0.5 GB without a cache (idle 2-core machine), and found no floating
//   or misused promise, so it is left out.
// - minus `no-unused-vars` on TypeScript: tsc's noUnusedLocals/noUnusedParameters (tsconfig.json)
//   already enforce it, with the `_name` convention the code uses; it was the costliest rule.
// - minus `no-explicit-any` in test/: tests dig into recorded resource inputs (typed as Pulumi
//   `Input`s) with `as any` on purpose; the program, tools and policy pack have none and keep it.
// - minus `no-unused-expressions` in test/: chai's property assertions (`.to.be.empty`).
// - plus `eqeqeq`: `==` coerces; nothing here relies on it.
// - plus `no-console` in the Pulumi program and the policy pack (index.ts, components/,
//   policies/): they report through pulumi.log, errors and policy violations, which reach the
//   engine's output. The CLIs in tools/ print by design; tests may.
// - plus, in components/: no module-level `let` and no module-level Map/Set/Array built with
//   `new`. A component module is loaded once and serves every render of a test run
//   (test/helpers/render.ts runs only index.ts afresh), so state kept there would leak from one
//   stack's render into the next.
// Import cycles are not checked here: `npm run check:cycles` (tools/import-cycles.ts) does it with
// the compiler's own module resolution, where eslint-plugin-import's `no-cycle` would resolve
// every import of every file again, the slowest rule there is.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
    { ignores: ["node_modules/", "policies/node_modules/", "rendered/", ".ci/.cache/", ".scratch/"] },
    {
        linterOptions: { reportUnusedDisableDirectives: "error" },
    },
    js.configs.recommended,
    tseslint.configs.recommended,
    {
        rules: { eqeqeq: "error" },
    },
    {
        files: ["**/*.ts"],
        rules: { "@typescript-eslint/no-unused-vars": "off" },
    },
    {
        // chai's property assertions (`expect(x).to.be.empty`) are expressions by design.
        files: ["test/**/*.ts"],
        rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-unused-expressions": "off" },
    },
    {
        files: ["index.ts", "components/**/*.ts", "policies/**/*.ts"],
        rules: { "no-console": "error" },
    },
    {
        files: ["components/**/*.ts"],
        rules: {
            "no-restricted-syntax": [
                "error",
                {
                    selector: ":matches(Program, Program > ExportNamedDeclaration) > VariableDeclaration[kind='let']",
                    message: "No module-level `let` in components: a module serves every render of a process (eslint.config.mjs).",
                },
                {
                    selector:
                        ":matches(Program, Program > ExportNamedDeclaration) > VariableDeclaration > VariableDeclarator > NewExpression[callee.name=/^(Map|Set|WeakMap|WeakSet|Array)$/]",
                    message: "No module-level mutable collection in components: a module serves every render of a process (eslint.config.mjs).",
                },
            ],
        },
    },
    {
        // Plain CommonJS that Node loads before any TypeScript loader (tools/ts-register.js,
        // tools/max-rss.cjs) or that actions/github-script requires (.github/scripts/).
        files: ["**/*.js", "**/*.cjs"],
        languageOptions: { sourceType: "commonjs", globals: globals.node },
        rules: {
            "@typescript-eslint/no-require-imports": "off",
            // A CommonJS module's top level is a function scope: `const crypto = require("node:crypto")`
            // shadows the global, it does not redeclare it.
            "no-redeclare": ["error", { builtinGlobals: false }],
        },
    },
);
