/** Command-line arguments of render:diff. */

export const USAGE = [
    "usage: npm run render:diff -- <stack>... --base <git-ref> [--format text|markdown] [--output FILE] [--keep DIR]",
    "       npm run render:diff -- <stack>... --from <render-dir> --to <render-dir> [--format text|markdown] [--output FILE]",
].join("\n");

export class UsageError extends Error {}

export type Format = "text" | "markdown";

export interface RenderDiffArgs {
    stacks: string[];
    /** Render the base from this git ref (a temporary worktree) and the head from the working tree. */
    base?: string;
    /** Or compare two existing render roots (`<dir>/<stack>/plan.json`, as `rendered/` is laid out). */
    from?: string;
    to?: string;
    format: Format;
    /** Write the report here instead of stdout. */
    output?: string;
    /** Keep both renders under DIR/base and DIR/head (for a CI artifact). */
    keep?: string;
    /** Where the full report is, said in a cut Markdown comment. */
    truncatedHint?: string;
}

const VALUE_FLAGS = ["--base", "--from", "--to", "--format", "--output", "--keep", "--truncated-hint"] as const;

export function parseArgs(argv: readonly string[]): RenderDiffArgs {
    const stacks: string[] = [];
    const options = new Map<string, string>();
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i]!;
        const [flag, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
        if ((VALUE_FLAGS as readonly string[]).includes(flag)) {
            const value = inline ?? argv[++i];
            if (value === undefined || value === "") throw new UsageError(`${flag} needs a value\n${USAGE}`);
            options.set(flag, value);
        } else if (arg.startsWith("-")) {
            throw new UsageError(`unknown option ${arg}\n${USAGE}`);
        } else {
            stacks.push(arg);
        }
    }
    if (stacks.length === 0) throw new UsageError(`name at least one stack\n${USAGE}`);
    const format = options.get("--format") ?? "text";
    if (format !== "text" && format !== "markdown") throw new UsageError(`--format must be text or markdown, not '${format}'\n${USAGE}`);
    const base = options.get("--base");
    const from = options.get("--from");
    const to = options.get("--to");
    if (base !== undefined && (from !== undefined || to !== undefined)) throw new UsageError(`use either --base or --from/--to, not both\n${USAGE}`);
    if (base === undefined && (from === undefined || to === undefined)) throw new UsageError(`give --base <git-ref>, or both --from and --to\n${USAGE}`);
    if (options.has("--keep") && base === undefined) throw new UsageError(`--keep only applies with --base\n${USAGE}`);
    return {
        stacks: [...new Set(stacks)],
        format,
        ...(base !== undefined ? { base } : { from: from!, to: to! }),
        ...(options.has("--output") ? { output: options.get("--output")! } : {}),
        ...(options.has("--keep") ? { keep: options.get("--keep")! } : {}),
        ...(options.has("--truncated-hint") ? { truncatedHint: options.get("--truncated-hint")! } : {}),
    };
}
