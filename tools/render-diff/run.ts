/**
 * render:diff as a function of its arguments. Exit codes: 0 report written (changes or not);
 * 1 a stack could not be rendered at the head, or the base could not be prepared; 2 bad
 * arguments. A stack the base cannot render (older code, a broken base) is reported in the
 * output and is not a failure: the change under review is the head.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { HELP, parseArgs, UsageError, type RenderDiffArgs } from "./args";
import { diffRenders } from "./diff";
import { inParallel } from "./parallel";
import type { RenderSet } from "./render-set";
import { formatMarkdown, formatText, type Report, type StackReport } from "./report";
import { checkoutBase, describeWorkingTree, readSide, renderSide, TreeError, type Side } from "./trees";

export interface Output {
    stdout(text: string): void;
    stderr(text: string): void;
}

export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;

const EMPTY: RenderSet = { objects: [] };

/** Compares one stack's two sides. */
export function compareSides(stack: string, base: Side, head: Side): StackReport {
    if (head.state === "failed") return { stack, status: "failed", blocking: true, error: `head does not render: ${head.error}` };
    if (base.state === "absent" && head.state === "absent")
        return { stack, status: "failed", blocking: true, error: `no such stack: no Pulumi.${stack}.yaml at the base or the head` };
    if (base.state === "failed") return { stack, status: "failed", error: `base does not render: ${base.error}` };
    const status = base.state === "absent" ? "new" : head.state === "absent" ? "deleted" : "compared";
    const before = base.state === "rendered" ? base.render : EMPTY;
    const after = head.state === "rendered" ? head.render : EMPTY;
    return { stack, status, diff: diffRenders(before, after) };
}

async function collect(args: RenderDiffArgs, projectDir: string, log: (line: string) => void): Promise<Report> {
    if (args.from !== undefined && args.to !== undefined) {
        return {
            base: args.from,
            head: args.to,
            stacks: args.stacks.map((stack) => compareSides(stack, readSide(args.from!, stack), readSide(args.to!, stack))),
        };
    }
    const keep = args.keep !== undefined ? path.resolve(args.keep) : undefined;
    const scratch = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), "render-diff-out-"));
    const tree = checkoutBase(projectDir, args.base!, log);
    try {
        // Each render is a process of its own on one core: one per core at a time, base and head alike.
        const parallel = os.availableParallelism();
        log(`rendering ${args.stacks.join(", ")} at base and head, ${parallel} at a time`);
        const sides = await inParallel(
            args.stacks.flatMap((stack) => [
                () => renderSide(tree.projectDir, stack, path.join(scratch, "base", stack)),
                () => renderSide(projectDir, stack, path.join(scratch, "head", stack)),
            ]),
            parallel,
        );
        const stacks = args.stacks.map((stack, i) => compareSides(stack, sides[2 * i]!, sides[2 * i + 1]!));
        return { base: `${args.base} (${tree.sha.slice(0, 7)})`, head: describeWorkingTree(projectDir), stacks };
    } finally {
        tree.remove();
        if (keep === undefined) fs.rmSync(scratch, { recursive: true, force: true });
    }
}

export async function runRenderDiff(argv: readonly string[], projectDir: string, output: Output): Promise<number> {
    let args: RenderDiffArgs;
    try {
        args = parseArgs(argv);
    } catch (err) {
        if (err instanceof UsageError) {
            output.stderr(`${err.message}\n`);
            return exitCodes.usage;
        }
        throw err;
    }
    if (args.help) {
        output.stdout(`${HELP}\n`);
        return exitCodes.ok;
    }
    let report: Report;
    try {
        report = await collect(args, projectDir, (line) => output.stderr(`render:diff: ${line}\n`));
    } catch (err) {
        if (!(err instanceof TreeError)) throw err;
        output.stderr(`render:diff: ${err.message}\n`);
        return exitCodes.failed;
    }
    const text = args.format === "markdown" ? formatMarkdown(report, args.truncatedHint ? { truncatedHint: args.truncatedHint } : {}) : formatText(report);
    if (args.output !== undefined) {
        fs.mkdirSync(path.dirname(path.resolve(args.output)), { recursive: true });
        fs.writeFileSync(args.output, text);
    } else {
        output.stdout(text);
    }
    const headFailures = report.stacks.filter((stack) => stack.blocking);
    for (const stack of headFailures) output.stderr(`render:diff: ${stack.stack}: ${stack.error}\n`);
    return headFailures.length > 0 ? exitCodes.failed : exitCodes.ok;
}
