/**
 * policy:check as a function of its arguments, so tests and the benchmark can call it
 * without a process. Exit codes: 0 no mandatory violation, 1 some, 2 unusable input (a bad
 * file does not stop the others from being checked and reported).
 */
import { readFileSync } from "node:fs";
import { defaultPolicyConfig, evaluateObject, loadPolicyConfigFile, type PolicyConfig } from "../../policies/evaluate";
import { help, parseArgs } from "./args";
import { collectManifestFiles, type ManifestFile } from "./files";
import { manifestContents, readManifestFile } from "./manifests";
import { formatJson, formatText, type FileExempted, type FileViolation } from "./report";
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
    /** Findings in a namespace the config exempts: not violations, reported with the reason. */
    readonly exempted: FileExempted[];
    readonly skipped: readonly string[];
    /** One line per input that could not be read or parsed, naming the file (and line). */
    readonly errors: readonly string[];
}

/** What "-" on the command line is called in reports. */
export const stdinName = "<stdin>";

function oneLine(text: string): string {
    return text.replace(/\s*\n\s*/g, " ").trim();
}

/**
 * Reads, parses and checks file by file, so memory holds one file's objects at a time. A path
 * or file that cannot be used is recorded in `errors` and the rest are still checked.
 */
export function checkPaths(
    paths: readonly string[],
    config: PolicyConfig = defaultPolicyConfig,
    readStdin: () => string = () => readFileSync(0, "utf8"),
): CheckSummary {
    const violations: FileViolation[] = [];
    const exempted: FileExempted[] = [];
    const skipped: string[] = [];
    const errors: string[] = [];
    let objects = 0;
    let files = 0;
    const record = (error: unknown): void => {
        if (!(error instanceof InputError)) throw error;
        errors.push(oneLine(error.message));
    };
    for (const path of paths) {
        let found: ManifestFile[];
        try {
            found = path === "-" ? [{ path: stdinName, explicit: true }] : collectManifestFiles([path]);
            if (found.length === 0) throw new InputError(`no *.yaml, *.yml or *.json files under ${path}`);
        } catch (error) {
            record(error);
            continue;
        }
        for (const file of found) {
            files++;
            let contents;
            try {
                contents = path === "-" ? manifestContents(file, readStdin()) : readManifestFile(file);
            } catch (error) {
                record(error);
                continue;
            }
            if (contents.skippedReason !== undefined) {
                skipped.push(`${file.path}: skipped, ${contents.skippedReason}`);
            }
            objects += contents.objects.length;
            for (const object of contents.objects) {
                const evaluation = evaluateObject(object, config);
                for (const violation of evaluation.violations) {
                    violations.push({ file: file.path, ...violation });
                }
                for (const finding of evaluation.exempted) {
                    exempted.push({ file: file.path, ...finding });
                }
            }
        }
    }
    return { files, objects, violations, exempted, skipped, errors };
}

const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

export function summaryLine(summary: CheckSummary, mandatory: number): string {
    const unusable = summary.errors.length > 0 ? ` (${plural(summary.errors.length, "input")} could not be read)` : "";
    const advisory = summary.violations.length - mandatory;
    const exempted = summary.exempted.length > 0 ? `; ${summary.exempted.length} exempted` : "";
    return `${plural(summary.objects, "object")} in ${plural(summary.files, "file")}${unusable}: ${mandatory} mandatory, ${plural(advisory, "advisory violation")}${exempted}`;
}

export function runPolicyCheck(argv: readonly string[], output: Output, readStdin?: () => string): number {
    try {
        const args = parseArgs(argv);
        if (args.help) {
            output.stdout(`${help}\n`);
            return exitCodes.clean;
        }
        const config = args.configPath === undefined ? defaultPolicyConfig : loadPolicyConfigFile(args.configPath);
        const summary = checkPaths(args.paths, config, readStdin);
        output.stdout(args.json ? formatJson(summary.violations, summary.exempted) : formatText(summary.violations, summary.exempted));
        const mandatory = summary.violations.filter((violation) => violation.enforcementLevel === "mandatory").length;
        for (const note of summary.skipped) {
            output.stderr(`policy:check: ${note}\n`);
        }
        for (const error of summary.errors) {
            output.stderr(`policy:check: ${error}\n`);
        }
        output.stderr(`policy:check: ${summaryLine(summary, mandatory)}\n`);
        if (summary.errors.length > 0) return exitCodes.invalidInput;
        return mandatory > 0 ? exitCodes.mandatoryViolations : exitCodes.clean;
    } catch (error) {
        // Unusable arguments or policy config, or a bug: one line, never a stack trace.
        const message = error instanceof Error ? error.message : String(error);
        output.stderr(`policy:check: ${oneLine(message)}\n`);
        return exitCodes.invalidInput;
    }
}
