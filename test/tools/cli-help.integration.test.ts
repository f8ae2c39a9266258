/**
 * Every command-line tool answers --help (and -h) with its usage on stdout and exit 0, and an
 * unknown option with exit 2, without doing its work.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

/** npm script (or tool) -> its entry point and the start of its usage line. */
const TOOLS: Array<[string, string, string]> = [
    ["render", "tools/render.ts", "usage: npm run render -- <stack>"],
    ["policy:check", "tools/policy-check.ts", "usage: npm run policy:check --"],
    ["render:diff", "tools/render-diff.ts", "usage: npm run render:diff -- <stack>..."],
    ["docs:config", "tools/config-reference.ts", "usage: npm run docs:config"],
    ["bench", "tools/bench.ts", "usage: npm run bench"],
    ["stacks", "tools/stacks.ts", "usage: npm run -s stacks"],
    ["bench-policy", "tools/bench-policy.ts", "usage: node --require ./tools/ts-register.js tools/bench-policy.ts"],
    ["preview-violations", "tools/preview-violations.ts", "usage: preview-violations --stack S"],
    ["check:cycles", "tools/import-cycles.ts", "usage: npm run check:cycles"],
];

const REPORT_SDK_LOAD = path.join(ROOT, "test/helpers/report-pulumi-load.cjs");

function run(entry: string, ...args: string[]) {
    return spawnSync(process.execPath, ["--require", path.join(ROOT, "tools/ts-register.js"), "--require", REPORT_SDK_LOAD, path.join(ROOT, entry), ...args], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, npm_lifecycle_event: "" },
        timeout: 30_000,
    });
}

describe("command-line tools: --help", () => {
    it("covers every npm script that runs a tool of ours", () => {
        const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
        const entries = new Set(TOOLS.map(([, entry]) => entry));
        const ours = Object.entries(scripts).filter(([, command]) => command.includes("tools/ts-register.js tools/"));
        const mine = ours.filter(([name]) => TOOLS.some(([script]) => script === name));
        for (const [name, command] of mine) expect(entries.has(command.split(" ").pop()!), name).to.equal(true);
        expect(mine.map(([name]) => name)).to.include.members(["render", "policy:check", "render:diff", "docs:config", "bench", "stacks"]);
    });

    // docs:config loads the config schema (and with it the Pulumi SDK, a second) before it
    // parses its arguments: it is run once. The others answer without loading the SDK.
    const heavy = ["docs:config"];
    for (const [name, entry, usage] of TOOLS) {
        it(`${name}: --help prints the usage, exit 0${heavy.includes(name) ? "" : "; -h too; an unknown option exits 2"}`, () => {
            const reference = fs.readFileSync(path.join(ROOT, "docs/config-reference.md"), "utf8");
            for (const flag of heavy.includes(name) ? ["--help"] : ["--help", "-h"]) {
                const result = run(entry, flag);
                expect(result.status, `${flag}: ${result.stderr}`).to.equal(0);
                expect(result.stdout.startsWith(usage), result.stdout).to.equal(true);
                expect(result.stdout.split("\n").length, "more than the usage line").to.be.greaterThan(3);
            }
            if (!heavy.includes(name)) {
                const bad = run(entry, "--no-such-option");
                expect(bad.status, bad.stdout + bad.stderr).to.equal(2);
                expect(bad.stderr).to.contain("--no-such-option");
                // Answered at once: neither the help nor the refusal waited for the SDK to load.
                expect(bad.stderr + run(entry, "--help").stderr).not.to.contain("[loaded the Pulumi SDK]");
            }
            // docs:config --help wrote nothing.
            expect(fs.readFileSync(path.join(ROOT, "docs/config-reference.md"), "utf8")).to.equal(reference);
        });
    }
});
