/**
 * The diff of every stack as one report, in plain text (terminal) or Markdown (one pull
 * request comment for all stacks, found again by its marker so CI edits it in place).
 *
 * Lines start with `+` (added), `-` (removed) or `!` (changed) in column one, so a
 * ```diff block colours them on GitHub.
 */
import { countByKind, isEmptyDiff, type StackDiff } from "./diff";
import type { FieldChange } from "./fields";
import { formatValue, isMultiline, lineDiff } from "./lines";
import { describeRef } from "./render-set";

/** The first line of the Markdown report; CI finds the comment to update by it. */
export const RENDER_DIFF_MARKER = "<!-- agent-platform:render-diff -->";

/** GitHub refuses comments over 65,536 characters; stay well under. */
export const MARKDOWN_LIMIT = 60_000;

export type StackStatus =
    /** Rendered on both sides. */
    | "compared"
    /** No Pulumi.<stack>.yaml at the base: everything is added. */
    | "new"
    /** No Pulumi.<stack>.yaml any more: everything is removed. */
    | "deleted"
    /** A side could not be rendered; `error` says which and why. */
    | "failed";

export interface StackReport {
    stack: string;
    status: StackStatus;
    diff?: StackDiff;
    error?: string;
    /** The head cannot be rendered (or the stack does not exist): the run fails. */
    blocking?: boolean;
}

export interface Report {
    /** How the base is named, e.g. "origin/main (1a2b3c4)". */
    base: string;
    /** How the head is named, e.g. "working tree (5d6e7f8)". */
    head: string;
    stacks: StackReport[];
}

const SYMBOL = { added: "+", removed: "-", changed: "!" } as const;
const INDENT = "    ";

function fieldLines(change: FieldChange): string[] {
    const path = change.path || "(whole value)";
    if (change.kind === "added") return [`+${INDENT}${path}: ${formatValue(change.after)}`];
    if (change.kind === "removed") return [`-${INDENT}${path}: ${formatValue(change.before)}`];
    if (isMultiline(change.before, change.after)) {
        const text = lineDiff(change.before as string, change.after as string);
        const head = `!${INDENT}${path}: text, ${text.removed} lines removed, ${text.added} added:`;
        return [
            head,
            ...text.lines.map((line) =>
                line.startsWith("-") || line.startsWith("+")
                    ? `${line[0]}${INDENT}${INDENT}${line.slice(1)}`
                    : ` ${INDENT}${INDENT}${line.slice(line.startsWith(" ") ? 1 : 0)}`,
            ),
        ];
    }
    return [`!${INDENT}${path}: ${formatValue(change.before)} -> ${formatValue(change.after)}`];
}

export function objectLines(diff: StackDiff): string[] {
    const lines: string[] = [];
    for (const change of diff.objects) {
        lines.push(`${SYMBOL[change.kind]} ${describeRef(change.ref)}`);
        if (change.urn)
            lines.push(`!${INDENT}URN ${change.urn.before} -> ${change.urn.after}: Pulumi deletes and recreates this object unless the resource has an alias`);
        for (const field of change.fields) lines.push(...fieldLines(field));
    }
    return lines;
}

export function resourceLines(diff: StackDiff): string[] {
    const lines: string[] = [];
    for (const change of diff.resources) {
        lines.push(`${SYMBOL[change.kind]} ${change.type} ${change.name}`);
        for (const field of change.fields) lines.push(...fieldLines(field));
    }
    return lines;
}

export function outputLines(diff: StackDiff): string[] {
    return diff.outputs.flatMap(fieldLines);
}

function counts(diff: StackDiff): string {
    const objects = countByKind(diff.objects);
    const resources = countByKind(diff.resources);
    return [
        `objects: ${objects.added} added, ${objects.changed} changed, ${objects.removed} removed`,
        `other resources: ${resources.added} added, ${resources.changed} changed, ${resources.removed} removed`,
        `outputs: ${diff.outputs.length} changed`,
    ].join("; ");
}

function statusNote(stack: StackReport): string | undefined {
    if (stack.status === "new") return "new stack: it has no stack file at the base";
    if (stack.status === "deleted") return "stack removed: it has no stack file at the head";
    return undefined;
}

// ---- text ----

export function formatText(report: Report): string {
    const out = [`Render diff: ${report.base} -> ${report.head}`, ""];
    for (const stack of report.stacks) {
        if (stack.status === "failed" || !stack.diff) {
            out.push(`== ${stack.stack}: not compared: ${stack.error ?? "no render"}`, "");
            continue;
        }
        const note = statusNote(stack);
        out.push(`== ${stack.stack}: ${isEmptyDiff(stack.diff) ? "no changes" : counts(stack.diff)}${note ? ` (${note})` : ""}`);
        const sections: Array<[string, string[]]> = [
            ["Kubernetes objects", objectLines(stack.diff)],
            ["Other resources (plan.json)", resourceLines(stack.diff)],
            ["Stack outputs", outputLines(stack.diff)],
        ];
        for (const [title, lines] of sections) if (lines.length > 0) out.push(`-- ${title}`, ...lines);
        out.push("");
    }
    return `${out.join("\n").trimEnd()}\n`;
}

// ---- markdown ----

/** A code fence longer than any backtick run inside, so content cannot close it. */
function fence(lines: readonly string[]): string {
    const longest = Math.max(0, ...lines.map((line) => Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length))));
    return "`".repeat(Math.max(3, longest + 1));
}

function codeBlock(lines: readonly string[]): string[] {
    const f = fence(lines);
    return [`${f}diff`, ...lines, f];
}

function escapeCell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function summaryRow(stack: StackReport): string {
    if (stack.status === "failed" || !stack.diff) return `| \`${stack.stack}\` | not compared: ${escapeCell(stack.error ?? "no render")} | | | | |`;
    if (isEmptyDiff(stack.diff)) return `| \`${stack.stack}\` | no changes | | | | |`;
    const o = countByKind(stack.diff.objects);
    const r = countByKind(stack.diff.resources);
    const other = r.added + r.changed + r.removed === 0 ? "0" : `+${r.added} !${r.changed} -${r.removed}`;
    return `| \`${stack.stack}\` | ${o.added} | ${o.changed} | ${o.removed} | ${other} | ${stack.diff.outputs.length} |`;
}

/** The body of one stack's section, cut at whole lines to fit `budget` characters. */
function stackSection(stack: StackReport, budget: number, truncatedHint: string): string {
    const diff = stack.diff!;
    const note = statusNote(stack);
    const parts: Array<[string, string[]]> = [
        ["Kubernetes objects", objectLines(diff)],
        ["Other resources (plan.json)", resourceLines(diff)],
        ["Stack outputs", outputLines(diff)],
    ];
    const total = parts.reduce((sum, [, lines]) => sum + lines.length, 0);
    const header = [`<details${total <= 60 ? " open" : ""}><summary><code>${stack.stack}</code>: ${counts(diff)}</summary>`, ""];
    if (note) header.push(`_${note}_`, "");
    const closing = ["</details>", ""];
    let used = [...header, ...closing].join("\n").length + truncatedHint.length + 16;
    const body: string[] = [];
    let shown = 0;
    for (const [title, lines] of parts) {
        if (lines.length === 0) continue;
        const kept: string[] = [];
        used += title.length + 24; // heading and fences
        for (const line of lines) {
            if (used + line.length + 1 > budget) break;
            kept.push(line);
            used += line.length + 1;
        }
        shown += kept.length;
        if (kept.length > 0) body.push(`**${title}**`, "", ...codeBlock(kept), "");
        if (kept.length < lines.length) break;
    }
    if (shown < total) body.push(`_${total - shown} more lines not shown: ${truncatedHint}_`, "");
    return [...header, ...body, ...closing].join("\n");
}

export interface MarkdownOptions {
    /** Where the full report is, said when a section is cut. */
    truncatedHint?: string;
    limit?: number;
}

export function formatMarkdown(report: Report, options: MarkdownOptions = {}): string {
    const limit = options.limit ?? MARKDOWN_LIMIT;
    const hint = options.truncatedHint ?? "run `npm run render:diff` locally for the full report";
    const head = [
        RENDER_DIFF_MARKER,
        `### Offline render diff: \`${report.base}\` → \`${report.head}\``,
        "",
        "| stack | objects added | changed | removed | other resources | outputs changed |",
        "| --- | ---: | ---: | ---: | --- | ---: |",
        ...report.stacks.map(summaryRow),
        "",
    ].join("\n");
    const foot = [
        "<sub>`+` added, `-` removed, `!` changed; paths are JSON pointers, list items by `[name=…]`. Rendered offline under the Pulumi SDK's mocks (nothing was previewed or deployed); secret values are redacted, so a changed secret value shows no change. Reproduce with `npm run render:diff -- <stack> --base <ref>`.</sub>",
        "",
    ].join("\n");
    const withChanges = report.stacks.filter((stack) => stack.status !== "failed" && stack.diff && !isEmptyDiff(stack.diff));
    // Fair shares: smallest sections first take what they need, the rest is split among the larger ones.
    const needs = withChanges.map((stack) => stackSection(stack, Infinity, hint).length + 1);
    const budgets = new Array<number>(withChanges.length);
    let remaining = limit - head.length - foot.length - 2;
    const bySize = needs.map((need, index) => ({ need, index })).sort((a, b) => a.need - b.need);
    bySize.forEach(({ need, index }, position) => {
        budgets[index] = Math.min(need, Math.floor(remaining / (bySize.length - position)));
        remaining -= budgets[index]!;
    });
    const sections = withChanges.map((stack, index) => stackSection(stack, budgets[index]! >= needs[index]! ? Infinity : budgets[index]! - 1, hint));
    return [head, ...sections, foot].join("\n");
}
