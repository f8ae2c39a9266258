/**
 * The pull request comment that explains a failed `pulumi preview` of one stack: pulumi/actions
 * posts nothing when the preview fails, so without it the author only sees a red check.
 * One comment per stack, found again by its marker and edited in place; when a later preview
 * passes, the same comment is rewritten to say so.
 */
import { describeUrn, type PreviewEvents } from "./events";

export function violationsMarker(stack: string): string {
    return `<!-- agent-platform:policy-violations:${stack} -->`;
}

/** A table cell: one line, pipes escaped, long text cut. */
function cell(value: string, max = 1_000): string {
    const flat = value.replace(/\r?\n/g, "<br>").replace(/\|/g, "\\|");
    return flat.length <= max ? flat : `${flat.slice(0, max)}…`;
}

const LEVEL: Record<string, string> = { mandatory: "mandatory", warning: "advisory", remediate: "remediate", none: "none" };

export interface CommentContext {
    stack: string;
    /** Link to the workflow run, for the full log. */
    runUrl?: string;
    /** The commit that was previewed. */
    sha?: string;
}

function footer(context: CommentContext): string[] {
    const where = [context.sha ? `commit \`${context.sha.slice(0, 7)}\`` : undefined, context.runUrl ? `[workflow run](${context.runUrl})` : undefined].filter(
        Boolean,
    );
    return where.length > 0
        ? [
              "",
              `<sub>${where.join(" · ")}. Check locally, without credentials: \`npm run render -- ${context.stack}\` runs the same policies over the offline render.</sub>`,
          ]
        : [];
}

export function failureComment(events: PreviewEvents, context: CommentContext): string {
    const mandatory = events.violations.filter((v) => v.level === "mandatory");
    const lines = [violationsMarker(context.stack)];
    if (events.violations.length > 0) {
        lines.push(
            `### \`pulumi preview\` of \`${context.stack}\` failed: ${mandatory.length} mandatory policy violation${mandatory.length === 1 ? "" : "s"}`,
            "",
            "The policy pack (`policies/`, every policy mandatory in CI) refused these resources. Fix them in the program or the stack config; docs/policies.md says how to fix each policy.",
            "",
            "| level | policy | resource | message |",
            "| --- | --- | --- | --- |",
        );
        const ordered = [...events.violations].sort((a, b) => Number(b.level === "mandatory") - Number(a.level === "mandatory"));
        for (const v of ordered.slice(0, 100)) {
            lines.push(`| ${LEVEL[v.level] ?? cell(v.level)} | \`${cell(v.policy)}\` | \`${cell(describeUrn(v.urn))}\` | ${cell(v.message)} |`);
        }
        if (ordered.length > 100) lines.push("", `_${ordered.length - 100} more violations are in the workflow log._`);
    } else {
        lines.push(
            `### \`pulumi preview\` of \`${context.stack}\` failed`,
            "",
            events.errors.length > 0
                ? "No policy was violated; the preview stopped on these errors:"
                : "No policy was violated and the event log names no error; see the workflow log.",
        );
        if (events.errors.length > 0) {
            const shown = events.errors.slice(0, 10).map((error) => (error.length > 2_000 ? `${error.slice(0, 2_000)}…` : error));
            const fenceLength = Math.max(3, ...shown.map((error) => Math.max(0, ...(error.match(/`+/g) ?? []).map((run) => run.length + 1))));
            const fence = "`".repeat(fenceLength);
            lines.push("", `${fence}text`, ...shown, fence);
        }
    }
    lines.push(...footer(context));
    return `${lines.join("\n")}\n`;
}

export function resolvedComment(context: CommentContext): string {
    return `${[violationsMarker(context.stack), `### \`pulumi preview\` of \`${context.stack}\` passes the policy pack again`, "", "The violations reported here before are fixed.", ...footer(context)].join("\n")}\n`;
}
