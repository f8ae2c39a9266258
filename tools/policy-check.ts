/**
 * npm run policy:check -- [--json] [--config FILE] <file-or-dir>...
 * The pack's rules over Kubernetes manifests on disk (Helm output, rendered stacks).
 */
import { runPolicyCheck } from "./policy-check/run";

// npm runs scripts from the package root; resolve the user's relative paths from where
// they typed `npm run policy:check` instead.
if (process.env["npm_lifecycle_event"] === "policy:check" && process.env["INIT_CWD"]) {
    process.chdir(process.env["INIT_CWD"]);
}

// exitCode rather than exit(): let stdout drain when it is a pipe.
process.exitCode = runPolicyCheck(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
});
