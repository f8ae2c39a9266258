/** Command-line arguments of render:diff (node:util parseArgs). */
import { parseArgs as parseCommandLine } from "node:util";

export const USAGE = [
    "usage: npm run render:diff -- <stack>... --base <git-ref> [--format text|markdown] [--output FILE] [--keep DIR]",
    "       npm run render:diff -- <stack>... --from <render-dir> --to <render-dir> [--format text|markdown] [--output FILE]",
].join("\n");

export const HELP = `${USAGE}

What a change does to each stack's offline render: Kubernetes objects added, changed (with the
changed fields) and removed, the other resources of plan.json, and the stack outputs.

  <stack>...            stacks to compare (Pulumi.<stack>.yaml)
  --base <git-ref>      render the base from this ref (a temporary git worktree) and the head
                        from the working tree; needs a git checkout
  --from DIR --to DIR   compare two existing render roots laid out as rendered/ (<DIR>/<stack>/plan.json)
  --format text|markdown  the report's format (default text; markdown is the PR comment)
  --output FILE         write the report to FILE instead of standard output
  --keep DIR            keep both renders under DIR/base and DIR/head (with --base)
  --truncated-hint TEXT where the full report is, said in a Markdown report cut to fit a comment
  -h, --help            this text

Exit codes: 0 report written (changes or not); 1 a stack does not render at the head, or the
base cannot be prepared; 2 bad arguments. See docs/ci.md.`;

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
    /** --help: print HELP, do nothing else. */
    help?: true;
}

const VALUE_OPTIONS = ["base", "from", "to", "format", "output", "keep", "truncated-hint"] as const;

export function parseArgs(argv: readonly string[]): RenderDiffArgs {
    let parsed;
    try {
        parsed = parseCommandLine({
            args: [...argv],
            allowPositionals: true,
            options: {
                ...Object.fromEntries(VALUE_OPTIONS.map((name) => [name, { type: "string" as const }])),
                help: { type: "boolean", short: "h" },
            },
        });
    } catch (err) {
        throw new UsageError(`${(err as Error).message.split(". To specify")[0]}\n${USAGE}`);
    }
    const options = parsed.values as Partial<Record<(typeof VALUE_OPTIONS)[number], string>> & { help?: boolean };
    if (options.help) return { stacks: [], format: "text", help: true };
    for (const name of VALUE_OPTIONS) {
        if (options[name] === "") throw new UsageError(`--${name} needs a value\n${USAGE}`);
    }
    const stacks = parsed.positionals;
    if (stacks.length === 0) throw new UsageError(`name at least one stack\n${USAGE}`);
    const format = options.format ?? "text";
    if (format !== "text" && format !== "markdown") throw new UsageError(`--format must be text or markdown, not '${format}'\n${USAGE}`);
    const { base, from, to } = options;
    if (base !== undefined && (from !== undefined || to !== undefined)) throw new UsageError(`use either --base or --from/--to, not both\n${USAGE}`);
    if (base === undefined && (from === undefined || to === undefined)) throw new UsageError(`give --base <git-ref>, or both --from and --to\n${USAGE}`);
    if (options.keep !== undefined && base === undefined) throw new UsageError(`--keep only applies with --base\n${USAGE}`);
    return {
        stacks: [...new Set(stacks)],
        format,
        ...(base !== undefined ? { base } : { from: from!, to: to! }),
        ...(options.output !== undefined ? { output: options.output } : {}),
        ...(options.keep !== undefined ? { keep: options.keep } : {}),
        ...(options["truncated-hint"] !== undefined ? { truncatedHint: options["truncated-hint"] } : {}),
    };
}
