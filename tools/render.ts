/**
 * `npm run render -- <stack> [--out DIR] [--config-file FILE]`
 *
 * Runs the real program for a stack under the Pulumi SDK's mocks and writes what `pulumi up`
 * would create (nothing is deployed): every Kubernetes object as YAML and plan.json, then
 * runs the policy pack over the objects. Exit 0 on success; 1 on a config error, an unknown
 * stack or a mandatory policy violation; 2 on bad arguments.
 */
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { checkObjects } from "../policies/evaluate";
import { summarize, writeRender } from "./render/output";
import { objectsOf, renderStack } from "./render/render-stack";
import { StackFileError } from "./render/stack-files";

const USAGE = "usage: npm run render -- <stack> [--out DIR] [--config-file FILE]";

class UsageError extends Error {}

interface Args {
    stack: string;
    outDir?: string;
    configFile?: string;
}

function parseArgs(argv: string[]): Args {
    const positional: string[] = [];
    const options: Record<string, string | undefined> = {};
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i]!;
        const [flag, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
        if (flag === "--out" || flag === "--config-file") {
            const value = inline ?? argv[++i];
            if (!value) throw new UsageError(`${flag} needs a value\n${USAGE}`);
            options[flag] = value;
        } else if (arg.startsWith("-")) {
            throw new UsageError(`unknown option ${arg}\n${USAGE}`);
        } else {
            positional.push(arg);
        }
    }
    if (positional.length !== 1) throw new UsageError(USAGE);
    return { stack: positional[0]!, outDir: options["--out"], configFile: options["--config-file"] };
}

async function main(): Promise<number> {
    const projectDir = path.resolve(__dirname, "..");
    const args = parseArgs(process.argv.slice(2));
    const out = path.resolve(args.outDir ?? path.join(projectDir, "rendered", args.stack));
    const render = await renderStack(projectDir, args.stack, args.configFile && path.resolve(args.configFile));
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
    (err: unknown) => {
        if (err instanceof UsageError) {
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
