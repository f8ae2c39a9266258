/**
 * `npm run render -- <stack> [--out DIR] [--config-file FILE]`
 *
 * Runs the real program for a stack under the Pulumi SDK's mocks and writes what `pulumi up`
 * would create (nothing is deployed): every Kubernetes object as YAML and plan.json, then
 * runs the policy pack over the objects. Exit 0 on success; 1 on a config error, an unknown
 * stack or a mandatory policy violation; 2 on bad arguments (a missing --config-file, an
 * --out directory it must not empty).
 */
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs as parseCommandLine } from "node:util";
import { checkObjects, loadPolicyConfigFile } from "../policies/evaluate";
import { CI_POLICY_CONFIG, uncheckedReport, unexpandedCharts } from "./policy-check/unexpanded";
import { hasErrors, readinessReport, writeReadiness } from "./readiness";
import { checkOutDir, OutDirError, summarize, writeRender } from "./render/output";
import { objectsOf, renderStack, type StackRender } from "./render/render-stack";
import { StackFileError } from "./render/stack-files";

const PROJECT_DIR = path.resolve(__dirname, "..");

const USAGE = "usage: npm run render -- <stack> [--out DIR] [--config-file FILE]";
const HELP = `${USAGE}

Renders a stack offline: runs the program under the Pulumi SDK's mocks (nothing is deployed,
no cluster or cloud is needed), writes every Kubernetes object as YAML and plan.json, prints a
summary with the stack outputs, then checks the objects against the policy pack.

  <stack>             a stack of this project: Pulumi.<stack>.yaml
  --out DIR           where to write (default rendered/<stack>). DIR must be new, empty, or
                      hold an earlier render; it is emptied first. Anything else is refused.
  --config-file FILE  read this stack file instead of Pulumi.<stack>.yaml (to try a variant)
  -h, --help          this text

Then the readiness pass (docs/readiness.md) writes readiness.json next to plan.json.

Exit codes: 0 rendered, no mandatory policy violation and no readiness error; 1 config error,
unknown stack, a mandatory violation or a readiness error; 2 bad arguments.`;

class UsageError extends Error {}

interface Args {
    stack: string;
    outDir: string;
    configFile?: string;
}

/** Arguments, checked before anything is rendered or written; undefined for --help. */
function parseArgs(argv: string[]): Args | undefined {
    let parsed;
    try {
        parsed = parseCommandLine({
            args: argv,
            allowPositionals: true,
            options: { out: { type: "string" }, "config-file": { type: "string" }, help: { type: "boolean", short: "h" } },
        });
    } catch (err) {
        // Node's message, without its advice about "--" (a stack name never starts with "-").
        throw new UsageError(`${(err as Error).message.split(". To specify")[0]}\n${USAGE}`);
    }
    if (parsed.values.help) return undefined;
    if (parsed.positionals.length !== 1) throw new UsageError(`name exactly one stack\n${USAGE}`);
    const stack = parsed.positionals[0]!;
    const configFile = parsed.values["config-file"];
    if (configFile !== undefined && !fs.existsSync(configFile)) throw new UsageError(`--config-file ${configFile}: no such file\n${USAGE}`);
    const outDir = parsed.values.out ?? path.join(PROJECT_DIR, "rendered", stack);
    checkOutDir(outDir, PROJECT_DIR);
    return { stack, outDir, ...(configFile !== undefined ? { configFile: path.resolve(configFile) } : {}) };
}

function printPolicyCheck(render: StackRender): number {
    const violations = checkObjects(objectsOf(render));
    for (const v of violations) {
        console.log(`${v.kind}/${v.namespace ?? "-"}/${v.name}: ${v.policy} [${v.enforcementLevel}]: ${v.message}`);
    }
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    console.log(
        `\nPolicy check: ${mandatory} mandatory, ${violations.length - mandatory} advisory violation${violations.length - mandatory === 1 ? "" : "s"}.`,
    );
    // What the offline check could not see (unexpanded charts), and CI's exemptions for it.
    const unchecked = uncheckedReport(
        unexpandedCharts(render.plan.resources),
        objectsOf(render),
        loadPolicyConfigFile(path.join(PROJECT_DIR, CI_POLICY_CONFIG)),
        CI_POLICY_CONFIG,
    );
    if (unchecked !== "") console.log(`\n${unchecked}`);
    return mandatory;
}

async function main(): Promise<number> {
    const args = parseArgs(process.argv.slice(2));
    if (args === undefined) {
        console.log(HELP);
        return 0;
    }
    const render = await renderStack(PROJECT_DIR, args.stack, args.configFile);
    const files = writeRender(args.outDir, render.plan, render.objects, PROJECT_DIR);
    console.log(summarize(render.plan, render.objects));
    console.log(`\nWrote ${files.length} object files and plan.json to ${path.relative(process.cwd(), path.resolve(args.outDir)) || "."}`);
    const mandatory = printPolicyCheck(render);
    writeReadiness(args.outDir, render.readiness);
    console.log(`\n${readinessReport(render.readiness)}`);
    return mandatory > 0 || hasErrors(render.readiness) ? 1 : 0;
}

// npm runs scripts from the package root; resolve the user's relative paths (--out,
// --config-file) from where they typed `npm run render` instead.
if (process.env["npm_lifecycle_event"] === "render" && process.env["INIT_CWD"]) {
    process.chdir(process.env["INIT_CWD"]);
}

main().then(
    (code) => process.exit(code),
    (err: unknown) => {
        if (err instanceof UsageError || err instanceof OutDirError) {
            console.error(err.message);
            process.exit(2);
        }
        // Config and stack-file errors are the user's to fix: the message, never a stack trace.
        const userError = pulumi.RunError.isInstance(err) || err instanceof StackFileError;
        const error = err as Error;
        console.error(`render failed: ${userError ? error.message : (error.stack ?? String(err))}`);
        process.exit(1);
    },
);
