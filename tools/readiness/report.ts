/**
 * How a render reports readiness: `readiness.json` (a JSON array of findings) next to
 * plan.json, and one line per finding after the policy verdict.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { formatFinding, type Finding } from "./findings";

export const READINESS_FILE = "readiness.json";

export function writeReadiness(outDir: string, findings: readonly Finding[]): void {
    fs.writeFileSync(path.join(outDir, READINESS_FILE), `${JSON.stringify(findings, null, 2)}\n`);
}

export function readinessReport(findings: readonly Finding[]): string {
    const errors = findings.filter((f) => f.severity === "error").length;
    const warnings = findings.length - errors;
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
    return [...findings.map(formatFinding), `Readiness: ${plural(errors, "error")}, ${plural(warnings, "warning")} (see docs/readiness.md).`].join("\n");
}

export function hasErrors(findings: readonly Finding[]): boolean {
    return findings.some((f) => f.severity === "error");
}
