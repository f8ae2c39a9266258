/** Command-line arguments of policy:check. */
import { InputError } from "./yaml";

export const usage = "usage: npm run policy:check -- [--json] [--config FILE] <file-or-dir>...";

export interface PolicyCheckArgs {
    readonly json: boolean;
    readonly configPath: string | undefined;
    readonly paths: readonly string[];
    readonly help: boolean;
}

export function parseArgs(argv: readonly string[]): PolicyCheckArgs {
    let json = false;
    let help = false;
    let configPath: string | undefined;
    const paths: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i]!;
        if (arg === "--") {
            paths.push(...argv.slice(i + 1));
            break;
        } else if (arg === "--json") {
            json = true;
        } else if (arg === "--help" || arg === "-h") {
            help = true;
        } else if (arg === "--config") {
            configPath = argv[++i];
            if (configPath === undefined) {
                throw new InputError(`--config needs a file; ${usage}`);
            }
        } else if (arg.startsWith("--config=")) {
            configPath = arg.slice("--config=".length);
        } else if (arg.startsWith("-") && arg !== "-") {
            throw new InputError(`unknown option ${arg}; ${usage}`);
        } else {
            paths.push(arg);
        }
    }
    if (!help && paths.length === 0) {
        throw new InputError(`no files or directories given; ${usage}`);
    }
    return { json, help, configPath, paths };
}
