/**
 * What the offline gate cannot see: the render records a Helm chart as one component with its
 * inputs and never expands it, so the chart's workloads meet the policy pack only in
 * `pulumi preview`, under CI's policy config. The render prints this after its verdict: each
 * chart it did not expand, the namespace it installs into and the exemptions CI's config grants
 * there; and any rendered workload that config would exempt (the stack's own workloads should
 * never sit in an exempted namespace).
 */
import { describeExemption, evaluateObjects, exemptionsOf, type NamespaceExemption, type PolicyConfig } from "../../policies/evaluate";

/** The policy config the workflows pass to `pulumi preview --policy-pack-config`, and .ci/run to policy:check. */
export const CI_POLICY_CONFIG = "policies/config/all-mandatory.json";

/** A chart the render recorded but did not expand. */
export interface UnexpandedChart {
    /** The Pulumi resource name, e.g. `addons-cert-manager`. */
    readonly resource: string;
    readonly chart: string;
    readonly version: string | undefined;
    readonly namespace: string | undefined;
}

const chartTypes: readonly string[] = ["kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Chart", "kubernetes:helm.sh/v3:Release"];

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/** The Helm charts among a render's resources (plan.json entries). */
export function unexpandedCharts(resources: readonly { type: string; name: string; inputs?: Record<string, unknown> }[]): UnexpandedChart[] {
    return resources
        .filter((resource) => chartTypes.includes(resource.type))
        .map((resource) => ({
            resource: resource.name,
            chart: text(resource.inputs?.["chart"]) ?? resource.name,
            version: text(resource.inputs?.["version"]),
            namespace: text(resource.inputs?.["namespace"]),
        }));
}

function exemptionsIn(exemptions: readonly NamespaceExemption[], namespace: string | undefined): NamespaceExemption[] {
    return exemptions.filter((exemption) => exemption.namespace === namespace);
}

function scopeOf(exemptions: readonly NamespaceExemption[]): string {
    if (exemptions.length === 0) return "no exemption: every policy applies";
    if (exemptions.some((exemption) => exemption.policies === undefined)) return "exempt from every policy";
    const policies = exemptions.flatMap((exemption) => exemption.policies ?? []);
    return `exempt from ${policies.length === 1 ? "" : `${policies.length} policies: `}${policies.join(", ")}`;
}

/**
 * The lines the render prints after its policy verdict ("" when it expanded everything and no
 * rendered workload is exempted). `config` is CI's, read from `configPath`.
 */
export function uncheckedReport(charts: readonly UnexpandedChart[], renderedObjects: readonly unknown[], config: PolicyConfig, configPath: string): string {
    const exemptions = exemptionsOf(config);
    const lines: string[] = [];
    if (charts.length > 0) {
        const count = charts.length === 1 ? "1 Helm chart" : `${charts.length} Helm charts`;
        lines.push(`Not policy-checked offline: ${count} the render does not expand; \`pulumi preview\` checks their workloads with ${configPath}:`);
        for (const chart of charts) {
            const version = chart.version === undefined ? "" : ` ${chart.version}`;
            lines.push(
                `  ${chart.chart}${version} (${chart.resource}), namespace ${chart.namespace ?? "(unset)"}: ${scopeOf(exemptionsIn(exemptions, chart.namespace))}`,
            );
        }
    }
    const exempted = evaluateObjects(renderedObjects, config).exempted;
    if (exempted.length > 0) {
        const used = [...new Set(exempted.map((finding) => finding.exemption))];
        lines.push(
            `Warning: ${configPath} exempts ${exempted.length === 1 ? "1 finding" : `${exempted.length} findings`} in rendered workloads; \`pulumi preview\` will not report them:`,
        );
        for (const exemption of used) {
            const objects = [...new Set(exempted.filter((finding) => finding.exemption === exemption).map((finding) => `${finding.kind}/${finding.name}`))];
            lines.push(`  ${describeExemption(exemption)}; applies to ${objects.join(", ")}`);
        }
    }
    return lines.join("\n");
}
