/**
 * `npm run render -- <stack> [--out DIR]`
 *
 * Runs the real program for a stack under the Pulumi SDK's mocks and writes what `pulumi up`
 * would create (nothing is deployed): every Kubernetes object as YAML and plan.json, then
 * runs the policy pack over the objects. Exit 0 on success; 1 on a config error, an unknown
 * stack or a mandatory policy violation.
 */
import * as path from "node:path";
import { writeRender, summarize } from "./render/output";
import { objectsOf, renderStack } from "./render/render-stack";
import { checkObjects } from "../policies/evaluate";

const USAGE = "usage: npm run render -- <stack> [--out DIR]";

function parseArgs(argv: string[]): { stack: string; outDir?: string } {
    const positional: string[] = [];
    let outDir: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i]!;
        if (arg === "--out") {
            outDir = argv[++i];
            if (!outDir) throw new Error(`--out needs a directory\n${USAGE}`);
        } else if (arg.startsWith("--out=")) {
            outDir = arg.slice("--out=".length);
        } else if (arg.startsWith("-")) {
            throw new Error(`unknown option ${arg}\n${USAGE}`);
        } else {
            positional.push(arg);
        }
    }
    if (positional.length !== 1) throw new Error(USAGE);
    return { stack: positional[0]!, outDir };
}

async function main(): Promise<number> {
    const projectDir = path.resolve(__dirname, "..");
    const { stack, outDir } = parseArgs(process.argv.slice(2));
    const out = path.resolve(outDir ?? path.join(projectDir, "rendered", stack));
    const render = await renderStack(projectDir, stack);
    const files = writeRender(out, render.plan, render.objects);
    console.log(summarize(render.plan, render.objects));
    console.log(`\nWrote ${files.length} object files and plan.json to ${path.relative(process.cwd(), out) || "."}`);

    const violations = checkObjects(objectsOf(render));
    for (const v of violations) {
        console.log(`${v.kind}/${v.namespace ?? "-"}/${v.name}: ${v.policy} [${v.enforcementLevel}]: ${v.message}`);
    }
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    console.log(`\nPolicy check: ${mandatory} mandatory, ${violations.length - mandatory} advisory violations.`);
    return mandatory > 0 ? 1 : 0;
}

main().then(
    (code) => process.exit(code),
    (err: Error) => {
        // Config and input errors are for the user: the message, never a stack trace.
        console.error(`render failed: ${err.message}`);
        process.exit(1);
    },
);
