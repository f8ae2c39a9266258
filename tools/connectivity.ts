/**
 * npm run connectivity -- [--json] [--cni generic|cilium] [--help] <file-or-dir|->...
 * Which workload may connect to which, under the manifests' network policies.
 *
 * `import ... from "../connectivity"` resolves to this file, not to the folder's index.ts, so it
 * re-exports the library and runs the command only when started as the main module: importing
 * it must never parse the importer's command line (a render's `--config-file`) as its own.
 */
import { readFileSync } from "node:fs";
import { runConnectivity } from "./connectivity/cli";

export * from "./connectivity/index";

if (require.main === module) {
    // npm runs scripts from the package root; resolve the user's relative paths from where
    // they typed `npm run connectivity` instead.
    if (process.env["npm_lifecycle_event"] === "connectivity" && process.env["INIT_CWD"]) {
        process.chdir(process.env["INIT_CWD"]);
    }
    // exitCode rather than exit(): let stdout drain when it is a pipe.
    process.exitCode = runConnectivity(
        process.argv.slice(2),
        {
            stdout: (text) => process.stdout.write(text),
            stderr: (text) => process.stderr.write(text),
        },
        () => readFileSync(0, "utf8"),
    );
}
