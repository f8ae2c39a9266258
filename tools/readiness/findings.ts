/**
 * A readiness finding: something the Pulumi engine or the cluster would reject or never make
 * ready, found offline in a render. `readiness.json` is a JSON array of these.
 */
import type { KubernetesObject } from "../render/manifests";

export type Severity = "error" | "warning";

export type RuleId = "engine" | "references" | "routing" | "crds" | "connectivity" | "scheduling" | "names";

export interface Finding {
    severity: Severity;
    rule: RuleId;
    /** `<kind>/<namespace>/<name>` (`-` for a cluster-scoped object), or a Pulumi URN. */
    object: string;
    /** What breaks, and how to fix it. */
    message: string;
}

/** `<kind>/<namespace>/<name>`, with `-` for a cluster-scoped object, as policy:check prints it. */
export function objectRef(object: Pick<KubernetesObject, "kind" | "metadata">): string {
    return `${object.kind}/${object.metadata.namespace ?? "-"}/${object.metadata.name}`;
}

const order: Record<Severity, number> = { error: 0, warning: 1 };

/** Errors first, then by rule and object, so the output is stable between renders. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
    return [...findings].sort(
        (a, b) =>
            order[a.severity] - order[b.severity] || a.rule.localeCompare(b.rule) || a.object.localeCompare(b.object) || a.message.localeCompare(b.message),
    );
}

export function formatFinding(finding: Finding): string {
    return `${finding.severity.toUpperCase()} [${finding.rule}] ${finding.object}: ${finding.message}`;
}
