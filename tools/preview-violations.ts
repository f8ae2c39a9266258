/**
 * node --require ./tools/ts-register.js tools/preview-violations.ts --stack S (--events FILE | --resolved) [--run-url URL] [--sha SHA]
 *
 * Writes the Markdown of the pull request comment for a failed preview (from its engine event
 * log) or, with --resolved, the note that replaces it once the preview passes. Used by
 * .github/workflows/preview.yml; see docs/ci.md.
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { failureComment, resolvedComment, type CommentContext } from "./preview-violations/comment";
import { parseEventLog } from "./preview-violations/events";

const USAGE = "usage: preview-violations --stack S (--events FILE | --resolved) [--run-url URL] [--sha SHA]";
const HELP = `${USAGE}

Writes the Markdown of the pull request comment for a failed \`pulumi preview\` of stack S, from
its engine event log (--events), or with --resolved the note that replaces it once the
preview passes. Used by .github/workflows/preview.yml; see docs/ci.md.

  --stack S       the stack previewed
  --events FILE   the preview's event log (pulumi preview --event-log FILE)
  --resolved      the "passes again" note instead
  --run-url URL   the workflow run, linked from the comment
  --sha SHA       the commit previewed
  -h, --help      this text`;

function main(argv: readonly string[]): number {
    let values;
    try {
        ({ values } = parseArgs({
            args: [...argv],
            options: {
                stack: { type: "string" },
                events: { type: "string" },
                resolved: { type: "boolean" },
                "run-url": { type: "string" },
                sha: { type: "string" },
                help: { type: "boolean", short: "h" },
            },
        }));
    } catch (err) {
        process.stderr.write(`${(err as Error).message.split(". To specify")[0]}\n${USAGE}\n`);
        return 2;
    }
    if (values.help) {
        process.stdout.write(`${HELP}\n`);
        return 0;
    }
    const { stack, events } = values;
    const resolved = values.resolved === true;
    if (!stack || resolved === (events !== undefined)) {
        process.stderr.write(`${USAGE}\n`);
        return 2;
    }
    const runUrl = values["run-url"];
    const sha = values.sha;
    const context: CommentContext = { stack, ...(runUrl !== undefined ? { runUrl } : {}), ...(sha !== undefined ? { sha } : {}) };
    // A preview that died before writing its log still gets a comment pointing at the run.
    const log = events !== undefined && fs.existsSync(events) ? fs.readFileSync(events, "utf8") : "";
    process.stdout.write(resolved ? resolvedComment(context) : failureComment(parseEventLog(log), context));
    return 0;
}

process.exitCode = main(process.argv.slice(2));
