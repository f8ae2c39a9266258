/**
 * ClusterAddons: what a bare cluster lacks for the services' optional features, installed as
 * Helm charts by Pulumi (`k8s.helm.v4.Chart`), each in its own namespace and off by default:
 * cert-manager (ingress TLS), the External Secrets Operator (secrets `external` mode) and the
 * Prometheus Operator CRDs (ServiceMonitor, PrometheusRule). Objects that need a chart's CRDs
 * take `crdsReady` in their `dependsOn`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AddonsConfig } from "./config";
import { podSecurityLabels } from "./namespace";

export interface AddonChart {
    /** Key in the `addons` config block. */
    addon: keyof AddonsConfig;
    namespace: string;
    chart: string;
    repo: string;
    values: Record<string, unknown>;
    /** Pod Security level of the add-on's namespace: some controllers need more than restricted. */
    podSecurity: "restricted" | "baseline" | "privileged";
}

/** The charts of the enabled add-ons (pure, for tests). */
export function enabledAddonCharts(config: AddonsConfig): AddonChart[] {
    const all: AddonChart[] = [
        { addon: "certManager", namespace: "cert-manager", chart: "cert-manager", repo: "https://charts.jetstack.io", values: { crds: { enabled: true } }, podSecurity: "restricted" },
        {
            addon: "externalSecrets",
            namespace: "external-secrets",
            chart: "external-secrets",
            repo: "https://charts.external-secrets.io",
            values: { installCRDs: true },
            podSecurity: "restricted",
        },
        {
            addon: "prometheusOperatorCrds",
            namespace: "monitoring",
            chart: "prometheus-operator-crds",
            repo: "https://prometheus-community.github.io/helm-charts",
            values: {},
            podSecurity: "restricted",
        },
    ];
    return all.filter((chart) => config[chart.addon].enabled);
}

export class ClusterAddons extends pulumi.ComponentResource {
    /** The installed charts; depend on these before creating their custom resources. */
    readonly crdsReady: pulumi.Resource[];

    constructor(name: string, args: { config: AddonsConfig }, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:addons:ClusterAddons", name, {}, opts);
        this.crdsReady = enabledAddonCharts(args.config).map((addon) => {
            const namespace = new k8s.core.v1.Namespace(
                `${name}-${addon.namespace}`,
                { metadata: { name: addon.namespace, labels: { "app.kubernetes.io/managed-by": "pulumi", ...podSecurityLabels(addon.podSecurity) } } },
                { parent: this },
            );
            return new k8s.helm.v4.Chart(
                `${name}-${addon.chart}`,
                {
                    chart: addon.chart,
                    version: args.config[addon.addon].version,
                    repositoryOpts: { repo: addon.repo },
                    namespace: namespace.metadata.name,
                    values: addon.values,
                },
                { parent: this },
            );
        });
        this.registerOutputs({});
    }
}
