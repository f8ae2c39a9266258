/** Renders violations (and the findings exemptions lift) as text lines or as a JSON array. */
import type { ExemptedViolation, Violation } from "../../policies/evaluate";

export interface FileViolation extends Violation {
    readonly file: string;
}

export interface FileExempted extends ExemptedViolation {
    readonly file: string;
}

/** An unset namespace prints as "-": "default" would claim a namespace the manifest never chose. */
export const noNamespace = "-";

export function formatLine(violation: FileViolation): string {
    return `${violation.file}: ${violation.kind}/${violation.namespace ?? noNamespace}/${violation.name}: ${violation.policy} [${violation.enforcementLevel}]: ${violation.message}`;
}

/** An exempted finding: "[exempted]" where a violation has its level, then the exemption's reason. */
export function formatExemptedLine(exempted: FileExempted): string {
    return `${exempted.file}: ${exempted.kind}/${exempted.namespace ?? noNamespace}/${exempted.name}: ${exempted.policy} [exempted]: ${exempted.message} (exempt in namespace "${exempted.exemption.namespace}": ${exempted.exemption.reason})`;
}

/** The violations, then the exempted findings. */
export function formatText(violations: readonly FileViolation[], exempted: readonly FileExempted[] = []): string {
    return [...violations.map(formatLine), ...exempted.map(formatExemptedLine)].map((line) => `${line}\n`).join("");
}

/**
 * Stable field order; an unset namespace is null. Exempted findings follow the violations with
 * enforcementLevel "exempted" (neither mandatory nor advisory) and the exemption's reason.
 */
export function formatJson(violations: readonly FileViolation[], exempted: readonly FileExempted[] = []): string {
    const row = (violation: FileViolation, enforcementLevel: string) => ({
        file: violation.file,
        kind: violation.kind,
        namespace: violation.namespace ?? null,
        name: violation.name,
        policy: violation.policy,
        enforcementLevel,
        message: violation.message,
    });
    const rows = [
        ...violations.map((violation) => row(violation, violation.enforcementLevel)),
        ...exempted.map((finding) => ({ ...row(finding, "exempted"), reason: finding.exemption.reason })),
    ];
    return `${JSON.stringify(rows, null, 2)}\n`;
}
