// Mocha for agent-platform: TypeScript through tools/ts-register.js, loaded in every worker;
// test files run in parallel worker processes, one per CPU (at least two). `npm test` runs every
// tier, the integration tests first (*.integration.test.ts: real tools, CLI processes and whole
// stacks rendered), so the long files start early; `npm run test:unit` leaves them out.
"use strict";
const fs = require("node:fs");
const os = require("node:os");

// Paths relative to the project, where npm runs mocha (and where mocha finds this file).
const files = (pattern) => fs.globSync(pattern).sort();
// The longest files start first, so none starts last and holds up the run.
const LONGEST = [
    "test/tools/render/render.integration.test.ts",
    "test/agent-backend/mysql.integration.test.ts",
    "test/tools/render-diff/cli.integration.test.ts",
    "test/tools/readiness/stacks.integration.test.ts",
    "test/tools/render/render-variants.integration.test.ts",
];
const integration = [...new Set([...LONGEST.filter((file) => fs.existsSync(file)), ...files("test/**/*.integration.test.ts")])];

// Test files named on the command line (`npx mocha test/pod/pod.test.ts`) run alone.
const named = process.argv.slice(2).some((arg) => arg.endsWith(".ts") && !arg.includes("*"));
// `npm run test:unit` (MOCHA_TIER=unit): the pure and component tiers only.
const unitOnly = process.env["MOCHA_TIER"] === "unit";

module.exports = {
    ...(named ? {} : { spec: [...(unitOnly ? [] : integration), ...files("test/**/*.test.ts").filter((file) => !integration.includes(file))] }),
    sort: false,
    extension: ["ts"],
    timeout: 60000,
    reporter: "spec",
    // The second file shares whole-stack renders between the workers of a run.
    require: ["./tools/ts-register.js", "./test/helpers/shared-renders.ts"],
    // Stack traces through the TypeScript source maps when files are named (debugging one file).
    // Whole runs go without: the Pulumi SDK captures a stack trace for every promise it makes, and
    // mapping those took a fifth of the unit tier's time (20 s against 16 s on 2 cores). To map
    // them in a whole run: NODE_OPTIONS=--enable-source-maps npm test.
    ...(named ? { "node-option": ["enable-source-maps"] } : {}),
    parallel: true,
    jobs: Math.max(2, os.availableParallelism()),
};
