/**
 * Text helpers of the report: one-line values, and a line diff for multi-line strings
 * (dashboards, alert rules, scripts) whose change would otherwise hide past a cut.
 */

/** A value on one line: JSON, cut to `max` characters with the full length noted. */
export function formatValue(value: unknown, max = 200): string {
    const text = value === undefined ? "(unset)" : JSON.stringify(value);
    return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;
}

export function isMultiline(before: unknown, after: unknown): boolean {
    return typeof before === "string" && typeof after === "string" && (before.includes("\n") || after.includes("\n"));
}

type Op = { op: " " | "-" | "+"; line: string };

/** Longest-common-subsequence edit script; undefined when the texts are too large to align. */
function editScript(a: readonly string[], b: readonly string[], maxCells = 4_000_000): Op[] | undefined {
    if (a.length * b.length > maxCells) return undefined;
    // lcs[i][j]: length of the LCS of a[i..] and b[j..], in one flat array.
    const width = b.length + 1;
    const lcs = new Uint32Array((a.length + 1) * width);
    for (let i = a.length - 1; i >= 0; i--) {
        for (let j = b.length - 1; j >= 0; j--) {
            lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
        }
    }
    const ops: Op[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
        if (a[i] === b[j]) {
            ops.push({ op: " ", line: a[i]! });
            i++;
            j++;
        } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) {
            ops.push({ op: "-", line: a[i++]! });
        } else {
            ops.push({ op: "+", line: b[j++]! });
        }
    }
    while (i < a.length) ops.push({ op: "-", line: a[i++]! });
    while (j < b.length) ops.push({ op: "+", line: b[j++]! });
    return ops;
}

export interface LineDiff {
    removed: number;
    added: number;
    /** `-`, `+` or ` ` followed by the line; `…` marks skipped unchanged lines or a cut. */
    lines: string[];
}

/** Changed lines with `context` unchanged lines around each, at most `maxLines` lines. */
export function lineDiff(before: string, after: string, context = 1, maxLines = 40): LineDiff {
    const a = before.split("\n");
    const b = after.split("\n");
    const ops = editScript(a, b);
    if (!ops) return { removed: a.length, added: b.length, lines: [`… ${a.length} lines -> ${b.length} lines, too large to compare line by line`] };
    const keep = ops.map(() => false);
    ops.forEach((op, index) => {
        if (op.op === " ") return;
        for (let k = Math.max(0, index - context); k <= Math.min(ops.length - 1, index + context); k++) keep[k] = true;
    });
    const lines: string[] = [];
    let skipped = false;
    for (let index = 0; index < ops.length; index++) {
        if (!keep[index]) {
            skipped = true;
            continue;
        }
        if (skipped && lines.length > 0) lines.push("…");
        skipped = false;
        lines.push(`${ops[index]!.op}${ops[index]!.line}`);
    }
    const changed = ops.filter((op) => op.op !== " ");
    const cut = lines.length > maxLines ? [...lines.slice(0, maxLines), `… ${lines.length - maxLines} more lines`] : lines;
    return { removed: changed.filter((op) => op.op === "-").length, added: changed.filter((op) => op.op === "+").length, lines: cut };
}
