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
import { knownStacks } from "./render/stack-files";

const USAGE = "usage: npm run -s stacks -- [--json]";
const HELP = `${USAGE}

Lists the stacks of the project: one per Pulumi.<stack>.yaml next to Pulumi.yaml.

  --json      one line: [{"stack": "<name>", "clusterTarget": "kubeconfig" | "aks"}, ...]
  -h, --help  this text`;

/** The config schema loads the Pulumi SDK (a second): only `--json` needs it. */
function loadEntries(): typeof import("./stacks/entries") {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded for --json only, see above.
    return require("./stacks/entries") as typeof import("./stacks/entries");
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
            ? `${JSON.stringify(loadEntries().stackEntries(projectDir))}\n`
            : knownStacks(projectDir)
                  .map((stack) => `${stack}\n`)
                  .join(""),
    );
    return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
