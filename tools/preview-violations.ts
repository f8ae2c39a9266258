/**
 * node --require ./tools/ts-register.js tools/preview-violations.ts --stack S (--events FILE | --resolved) [--run-url URL] [--sha SHA]
 *
 * Writes the Markdown of the pull request comment for a failed preview (from its engine event
 * log) or, with --resolved, the note that replaces it once the preview passes. Used by
 * .github/workflows/preview.yml; see docs/ci.md.
 */
import * as fs from "node:fs";
import { failureComment, resolvedComment, type CommentContext } from "./preview-violations/comment";
import { parseEventLog } from "./preview-violations/events";

const USAGE = "usage: preview-violations --stack S (--events FILE | --resolved) [--run-url URL] [--sha SHA]";

function main(argv: readonly string[]): number {
    const options = new Map<string, string>();
    let resolved = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i]!;
        if (arg === "--resolved") resolved = true;
        else if (["--stack", "--events", "--run-url", "--sha"].includes(arg) && argv[i + 1] !== undefined) options.set(arg, argv[++i]!);
        else {
            process.stderr.write(`unknown or incomplete argument ${arg}\n${USAGE}\n`);
            return 2;
        }
    }
    const stack = options.get("--stack");
    const events = options.get("--events");
    if (!stack || resolved === (events !== undefined)) {
        process.stderr.write(`${USAGE}\n`);
        return 2;
    }
    const context: CommentContext = { stack, ...(options.has("--run-url") ? { runUrl: options.get("--run-url")! } : {}), ...(options.has("--sha") ? { sha: options.get("--sha")! } : {}) };
    // A preview that died before writing its log still gets a comment pointing at the run.
    const log = events !== undefined && fs.existsSync(events) ? fs.readFileSync(events, "utf8") : "";
    process.stdout.write(resolved ? resolvedComment(context) : failureComment(parseEventLog(log), context));
    return 0;
}

process.exitCode = main(process.argv.slice(2));
