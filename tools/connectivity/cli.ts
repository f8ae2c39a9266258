/**
 * `npm run connectivity` as a function of its arguments, so tests can call it without a
 * process. Exit codes as policy:check: 0 listed, 2 some input unusable (a file that does
 * not parse, a policy the API server would reject); everything usable is still listed.
 */
import { parseArgs } from "node:util";
import { formatJson, formatTxt } from "./format";
import { listConnections } from "./list";
import type { Cni } from "./model";
import { buildNetwork } from "./network";
import { readManifests } from "./read";

export const usage = `usage: npm run connectivity -- [--json] [--cni generic|cilium] [--help] <file-or-dir|->...

Lists which workload may connect to which, and to which external address ranges, on which
ports, under the NetworkPolicies (and with --cni cilium, the CiliumNetworkPolicies) in the
manifests: netpol-analyzer's \`list\` output. Directories are walked for *.yaml, *.yml and
*.json; "-" reads standard input.

  --json        the JSON format instead of "src => dst : connections" lines
  --cni NAME    generic (default): NetworkPolicy only; cilium: Cilium policies and identities too
  --help        this text

Exit codes: 0 listed; 2 some input was unusable (reported on stderr, the rest still listed).`;

export interface Output {
    stdout(text: string): void;
    stderr(text: string): void;
}

export const exitCodes = { listed: 0, invalidInput: 2 } as const;

interface CliArgs {
    readonly json: boolean;
    readonly help: boolean;
    readonly cni: Cni;
    readonly paths: readonly string[];
}

function parse(argv: readonly string[]): CliArgs {
    const { values, positionals } = parseArgs({
        args: [...argv],
        allowPositionals: true,
        strict: true,
        options: {
            json: { type: "boolean", default: false },
            help: { type: "boolean", short: "h", default: false },
            cni: { type: "string", default: "generic" },
        },
    });
    const cni = values.cni;
    if (cni !== "generic" && cni !== "cilium") throw new Error(`--cni must be generic or cilium (got ${JSON.stringify(cni)})`);
    return { json: values.json === true, help: values.help === true, cni, paths: positionals };
}

export function runConnectivity(argv: readonly string[], output: Output, readStdin: () => string = () => ""): number {
    let args: CliArgs;
    try {
        args = parse(argv);
    } catch (error) {
        output.stderr(`connectivity: ${(error as Error).message}\n${usage}\n`);
        return exitCodes.invalidInput;
    }
    if (args.help) {
        output.stdout(`${usage}\n`);
        return exitCodes.listed;
    }
    if (args.paths.length === 0) {
        output.stderr(`connectivity: no files or directories given\n${usage}\n`);
        return exitCodes.invalidInput;
    }
    const read = readManifests(args.paths, readStdin);
    const fileOf = new Map<unknown, string>(read.objects.map((entry) => [entry.object, entry.file]));
    const net = buildNetwork(
        read.objects.map((entry) => entry.object),
        { cni: args.cni },
    );
    const lines = listConnections(net);
    output.stdout(args.json ? `${formatJson(lines)}\n` : formatTxt(lines));

    for (const error of read.errors) output.stderr(`connectivity: ${error}\n`);
    for (const problem of net.problems) {
        const where = problem.namespace === undefined ? problem.name : `${problem.namespace}/${problem.name}`;
        output.stderr(`connectivity: ${fileOf.get(problem.object) ?? "?"}: ${problem.kind} ${where}: ${problem.message} (policy left out)\n`);
    }
    for (const note of read.skipped) output.stderr(`connectivity: ${note}\n`);
    for (const note of net.notes) output.stderr(`connectivity: note: ${note}\n`);
    const failed = read.errors.length + net.problems.length;
    output.stderr(
        `connectivity: ${net.workloads.length} workloads, ${net.policies.length} policies from ${read.files} files: ${lines.length} connections${failed > 0 ? `; ${failed} unusable inputs` : ""}\n`,
    );
    return failed > 0 ? exitCodes.invalidInput : exitCodes.listed;
}
