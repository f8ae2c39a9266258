/**
 * Reads YAML files with PyYAML, a real YAML 1.1 reader (as are kubectl's sigs.k8s.io/yaml and
 * the tools built on PyYAML), and returns what it read as JSON values. Needs python3 with the
 * yaml module (Debian: python3-yaml): locally a missing one is a reported skip, in CI a failure.
 */
import { spawnSync } from "node:child_process";
import { requireTool } from "./external-tools";

// A value JSON cannot carry (a date PyYAML read from a plain timestamp) becomes a marker
// that never equals what a YAML 1.2 reader returns.
const SCRIPT = `
import json, sys, yaml
result = {}
for name in json.load(sys.stdin):
    with open(name, encoding="utf-8") as f:
        result[name] = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
json.dump(result, sys.stdout, default=lambda value: "<PyYAML read a %s>" % type(value).__name__)
`;

/** Whether python3 has PyYAML, asked once per process. */
let hasPyYaml: boolean | undefined;

export function readAsYaml11(context: Mocha.Context, files: readonly string[]): Record<string, unknown> {
    const python = requireTool(context, "python3", "apt-get install python3 python3-yaml");
    hasPyYaml ??= spawnSync(python, ["-c", "import yaml"]).status === 0;
    if (!hasPyYaml) {
        const message = "python3 has no yaml module (install: apt-get install python3-yaml)";
        if (process.env["CI"] === "true") throw new Error(`${message}; CI does not allow skipping this test`);
        console.warn(`      SKIPPED: ${message}`);
        context.skip();
    }
    const run = spawnSync(python, ["-c", SCRIPT], { input: JSON.stringify(files), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (run.status !== 0) throw new Error(`PyYAML could not read the files: ${run.stderr}`);
    return JSON.parse(run.stdout) as Record<string, unknown>;
}
