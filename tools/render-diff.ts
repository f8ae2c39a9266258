/**
 * npm run render:diff -- <stack>... --base <git-ref> [--format text|markdown] [--output FILE] [--keep DIR]
 * npm run render:diff -- <stack>... --from <render-dir> --to <render-dir> [...]
 *
 * What a change does to each stack's offline render: Kubernetes objects added, changed (with
 * the changed fields) and removed, other resources of plan.json, and stack outputs. See docs/ci.md.
 */
import * as path from "node:path";
import { runRenderDiff } from "./render-diff/run";

// npm runs scripts from the package root; resolve the user's relative paths from where they typed the command.
if (process.env["npm_lifecycle_event"] === "render:diff" && process.env["INIT_CWD"]) {
    process.chdir(process.env["INIT_CWD"]);
}

// exitCode rather than exit(): let stdout drain when it is a pipe.
void runRenderDiff(process.argv.slice(2), path.resolve(__dirname, ".."), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
}).then((code) => (process.exitCode = code));
