/**
 * policy:check as a function of its arguments, so tests and the benchmark can call it
 * without a process. Exit codes: 0 no mandatory violation, 1 some, 2 unusable input.
 */
import { checkObject, defaultPolicyConfig, loadPolicyConfigFile, type PolicyConfig } from "../../policies/evaluate";
import { parseArgs, usage } from "./args";
import { collectManifestFiles } from "./files";
import { readManifestFile } from "./manifests";
import { formatJson, formatText, type FileViolation } from "./report";
import { InputError } from "./yaml";

export interface Output {
    stdout(text: string): void;
    stderr(text: string): void;
}

export const exitCodes = { clean: 0, mandatoryViolations: 1, invalidInput: 2 } as const;

export interface CheckSummary {
    readonly files: number;
    readonly objects: number;
    readonly violations: FileViolation[];
    readonly skipped: readonly string[];
}

/** Reads, parses and checks file by file, so memory holds one file's objects at a time. */
export function checkPaths(paths: readonly string[], config: PolicyConfig = defaultPolicyConfig): CheckSummary {
    const files = collectManifestFiles(paths);
    if (files.length === 0) {
        throw new InputError(`no *.yaml, *.yml or *.json files under ${paths.join(", ")}`);
    }
    const violations: FileViolation[] = [];
    const skipped: string[] = [];
    let objects = 0;
    for (const file of files) {
        const contents = readManifestFile(file);
        if (contents.skippedReason !== undefined) {
            skipped.push(`${file.path}: skipped, ${contents.skippedReason}`);
        }
        objects += contents.objects.length;
        for (const object of contents.objects) {
            for (const violation of checkObject(object, config)) {
                violations.push({ file: file.path, ...violation });
            }
        }
    }
    return { files: files.length, objects, violations, skipped };
}

function oneLine(text: string): string {
    return text.replace(/\s*\n\s*/g, " ").trim();
}

export function runPolicyCheck(argv: readonly string[], output: Output): number {
    try {
        const args = parseArgs(argv);
        if (args.help) {
            output.stdout(`${usage}\n`);
            return exitCodes.clean;
        }
        const config = args.configPath === undefined ? defaultPolicyConfig : loadPolicyConfigFile(args.configPath);
        const summary = checkPaths(args.paths, config);
        output.stdout(args.json ? formatJson(summary.violations) : formatText(summary.violations));
        const mandatory = summary.violations.filter((violation) => violation.enforcementLevel === "mandatory").length;
        for (const note of summary.skipped) {
            output.stderr(`policy:check: ${note}\n`);
        }
        output.stderr(`policy:check: ${summary.objects} objects in ${summary.files} files: ${mandatory} mandatory, ${summary.violations.length - mandatory} advisory violations\n`);
        return mandatory > 0 ? exitCodes.mandatoryViolations : exitCodes.clean;
    } catch (error) {
        // Unusable input of any kind, or a bug: one line, never a stack trace.
        const message = error instanceof Error ? error.message : String(error);
        output.stderr(`policy:check: ${oneLine(message)}\n`);
        return exitCodes.invalidInput;
    }
}
