/**
 * `npm run render -- <stack> [--out DIR] [--config-file FILE]`
 *
 * Runs the real program for a stack under the Pulumi SDK's mocks and writes what `pulumi up`
 * would create (nothing is deployed): every Kubernetes object as YAML and plan.json, then
 * runs the policy pack over the objects. Exit 0 on success; 1 on a config error, an unknown
 * stack or a mandatory policy violation; 2 on bad arguments (a missing --config-file, an
 * --out directory it must not empty).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs as parseCommandLine } from "node:util";
import { checkOutDir, OutDirError } from "./render/output";
import { loadStackFiles, StackFileError } from "./render/stack-files";

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

async function main(): Promise<number> {
    const args = parseArgs(process.argv.slice(2));
    if (args === undefined) {
        console.log(HELP);
        return 0;
    }
    // An unknown stack or an unreadable stack file is named before the SDK and the program load.
    loadStackFiles(PROJECT_DIR, args.stack, args.configFile);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only now: the Pulumi SDK and the program take a second, --help and bad arguments do not wait for them.
    const { renderAndReport } = require("./render/run") as typeof import("./render/run");
    return renderAndReport({ projectDir: PROJECT_DIR, ...args });
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
        if (err instanceof StackFileError) {
            console.error(`render failed: ${err.message}`);
            process.exit(1);
        }
        console.error(`render failed: ${(err as Error).stack ?? String(err)}`);
        process.exit(1);
    },
);
