/** Renders violations as text lines or as a JSON array. */
import type { Violation } from "../../policies/evaluate";

export interface FileViolation extends Violation {
    readonly file: string;
}

/** An unset namespace prints as "-": "default" would claim a namespace the manifest never chose. */
export const noNamespace = "-";

export function formatLine(violation: FileViolation): string {
    return `${violation.file}: ${violation.kind}/${violation.namespace ?? noNamespace}/${violation.name}: ${violation.policy} [${violation.enforcementLevel}]: ${violation.message}`;
}

export function formatText(violations: readonly FileViolation[]): string {
    return violations.map((violation) => `${formatLine(violation)}\n`).join("");
}

/** Stable field order; an unset namespace is null. */
export function formatJson(violations: readonly FileViolation[]): string {
    const rows = violations.map((violation) => ({
        file: violation.file,
        kind: violation.kind,
        namespace: violation.namespace ?? null,
        name: violation.name,
        policy: violation.policy,
        enforcementLevel: violation.enforcementLevel,
        message: violation.message,
    }));
    return `${JSON.stringify(rows, null, 2)}\n`;
}
