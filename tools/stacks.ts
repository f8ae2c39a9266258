/**
 * `npm run -s stacks -- [--json]`: the project's stacks, one per `Pulumi.<stack>.yaml`, so a new
 * stack is one file: .ci/run and the workflows take their stack lists from here.
 *
 * Plain: one stack name per line. `--json`: one line, an array of `{stack, clusterTarget}`,
 * for a GitHub Actions matrix (`include: ${{ fromJSON(...) }}`); `clusterTarget` is what the
 * stack's `cluster.target` resolves to (`kubeconfig` or `aks`), so a job logs in to Azure only
 * for the stacks that need it.
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { parseStackConfig } from "../components/config";
import { unwrap, schemaAtPath } from "../components/config/introspect";
import { stackConfigSchema } from "../components/config/schema";
import { knownStacks, loadStackFiles } from "./render/stack-files";

const USAGE = "usage: npm run -s stacks -- [--json]";
const HELP = `${USAGE}

Lists the stacks of the project: one per Pulumi.<stack>.yaml next to Pulumi.yaml.

  --json      one line: [{"stack": "<name>", "clusterTarget": "kubeconfig" | "aks"}, ...]
  -h, --help  this text`;

export interface StackEntry {
    stack: string;
    clusterTarget: string;
}

/** The stack's resolved `cluster.target`; for a stack file that does not validate, what it says or the default. */
export function clusterTarget(projectDir: string, stack: string): string {
    const files = loadStackFiles(projectDir, stack);
    try {
        return parseStackConfig(files.config, new Set(files.secretKeys)).cluster.target;
    } catch {
        const raw = files.config["agent-platform:cluster"];
        const stated = raw === undefined ? undefined : (JSON.parse(raw) as { target?: unknown }).target;
        return typeof stated === "string" ? stated : String(unwrap(schemaAtPath(stackConfigSchema, ["cluster", "target"])!).defaultValue);
    }
}

export function stackEntries(projectDir: string): StackEntry[] {
    return knownStacks(projectDir).map((stack) => ({ stack, clusterTarget: clusterTarget(projectDir, stack) }));
}

function main(argv: string[]): number {
    let parsed;
    try {
        parsed = parseArgs({ args: argv, options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
    } catch (err) {
        process.stderr.write(`${(err as Error).message.split(". To specify")[0]}\n${USAGE}\n`);
        return 2;
    }
    if (parsed.values.help) {
        process.stdout.write(`${HELP}\n`);
        return 0;
    }
    const projectDir = path.resolve(__dirname, "..");
    process.stdout.write(
        parsed.values.json
            ? `${JSON.stringify(stackEntries(projectDir))}\n`
            : knownStacks(projectDir)
                  .map((stack) => `${stack}\n`)
                  .join(""),
    );
    return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
