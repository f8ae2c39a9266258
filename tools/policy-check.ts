/**
 * npm run policy:check -- [--json] [--config FILE] <file-or-dir>...
 * The pack's rules over Kubernetes manifests on disk (Helm output, rendered stacks).
 */
import { runPolicyCheck } from "./policy-check/run";

// exitCode rather than exit(): let stdout drain when it is a pipe.
process.exitCode = runPolicyCheck(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
});
