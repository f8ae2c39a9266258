/** Command-line arguments of policy:check (node:util parseArgs). */
import { parseArgs as parseCommandLine } from "node:util";
import { InputError } from "./yaml";

export const usage = "usage: npm run policy:check -- [--json] [--config FILE] <file-or-dir | ->...";

export const help = `${usage}

Checks Kubernetes manifests (Helm output, rendered stacks, kubectl dumps) against the policy
pack, offline. Files named directly are read whatever their extension; directories are walked
for *.yaml, *.yml and *.json (node_modules and hidden directories skipped); "-" reads standard
input. A file that cannot be read or parsed is reported with its name (and line) and the
others are still checked.

  --json         print the violations as a JSON array instead of one line each
  --config FILE  policy config: enforcement level per policy, e.g. {"all": "mandatory"},
                 and namespace exemptions ("namespace-exemptions"). A finding in an exempted
                 namespace is not a violation: it is printed as [exempted] with the reason
                 and counted apart.
  -h, --help     this text

Exit codes: 0 no mandatory violation; 1 a mandatory violation; 2 an input could not be read
or parsed (after every violation found in the others is printed), or bad arguments.`;

export interface PolicyCheckArgs {
    readonly json: boolean;
    readonly configPath: string | undefined;
    readonly paths: readonly string[];
    readonly help: boolean;
}

export function parseArgs(argv: readonly string[]): PolicyCheckArgs {
    let parsed;
    try {
        parsed = parseCommandLine({
            args: [...argv],
            allowPositionals: true,
            options: { json: { type: "boolean" }, config: { type: "string" }, help: { type: "boolean", short: "h" } },
        });
    } catch (error) {
        // Node's message, without its advice about "--".
        throw new InputError(`${(error as Error).message.split(". To specify")[0]}; ${usage}`);
    }
    const help = parsed.values.help === true;
    if (!help && parsed.positionals.length === 0) {
        throw new InputError(`no files or directories given; ${usage}`);
    }
    if (parsed.positionals.filter((path) => path === "-").length > 1) {
        throw new InputError(`standard input ("-") can be read only once; ${usage}`);
    }
    return { json: parsed.values.json === true, help, configPath: parsed.values.config, paths: parsed.positionals };
}
