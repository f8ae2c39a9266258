/**
 * ClusterAddons: what a bare cluster lacks for the services' optional features, installed as
 * Helm charts by Pulumi (`k8s.helm.v4.Chart`), each in its own namespace and off by default:
 * cert-manager (ingress TLS), the External Secrets Operator (secrets `external` mode), the
 * Prometheus Operator CRDs (ServiceMonitor, PrometheusRule) and Traefik, the stack's Gateway
 * API controller. Objects that need a chart's CRDs take `crdsReady` in their `dependsOn`.
 *
 * Gateway API CRDs: the Traefik chart stopped shipping them in 40.2.0 (its Changelog: "first
 * release without Gateway API v1.5.1 CRDs"; README "Gateway API CRDs": install them yourself
 * before Traefik v3.7). So with Traefik on, the stack applies the pinned standard-channel
 * release of kubernetes-sigs/gateway-api first, and both Traefik and cert-manager (whose
 * Gateway API support will not start without those CRDs: cert-manager/cert-manager#6882)
 * depend on it.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { certManagerValues, externalSecretsValues, prometheusOperatorCrdsValues } from "./values";
import type { AddonsConfig } from "./schema";
import { buildTraefikValues } from "../gateway/build";
import { CONTROLLER_NAMESPACE, StackGatewayPlan, TRAEFIK_RELEASE } from "../gateway/plan";
import { podSecurityLabels } from "../namespace";
import { buildReloaderValues, RELOADER_REPO } from "./reloader";

export interface AddonChart {
    /** Key in the `addons` config block. */
    addon: keyof AddonsConfig;
    namespace: string;
    chart: string;
    repo: string;
    values: Record<string, unknown>;
    /** Pod Security level of the add-on's namespace: some controllers need more than restricted. */
    podSecurity: "restricted" | "baseline" | "privileged";
    /** Helm release name; default the Pulumi resource name. */
    release?: string;
    /** Needs the Gateway API CRDs installed first. */
    needsGatewayApi?: boolean;
    /** Installed after these (e.g. the namespaces its objects live in). @default [] */
    after?: pulumi.Resource[];
}

/** What the add-ons take from the rest of the stack. */
export interface AddonContext {
    /** The stack's Gateway (when `addons.traefik` is on): its route timeouts shape Traefik's entrypoints. */
    gateway?: StackGatewayPlan;
    /** The platform namespace, which Reloader watches (its Role lives there), and what creates it. */
    platformNamespace?: { name: string; ready: pulumi.Resource[] };
}

/** The standard-channel install manifest of a Gateway API release. */
export function gatewayApiCrdsUrl(version: string): string {
    return `https://github.com/kubernetes-sigs/gateway-api/releases/download/${version}/standard-install.yaml`;
}

/** The charts of the enabled add-ons (pure, for tests). */
export function enabledAddonCharts(config: AddonsConfig, context: AddonContext = {}): AddonChart[] {
    const gatewayApi = config.traefik.enabled;
    const all: AddonChart[] = [
        {
            addon: "certManager",
            namespace: "cert-manager",
            chart: "cert-manager",
            repo: "https://charts.jetstack.io",
            // Gateway API support, resources, explicit token mounts: addon-values.ts.
            values: certManagerValues(gatewayApi),
            podSecurity: "restricted",
            needsGatewayApi: gatewayApi,
        },
        {
            addon: "externalSecrets",
            namespace: "external-secrets",
            chart: "external-secrets",
            repo: "https://charts.external-secrets.io",
            values: externalSecretsValues(),
            podSecurity: "restricted",
        },
        {
            // Stakater Reloader, scoped to the platform namespace (addons/reloader.ts).
            addon: "reloader",
            namespace: "reloader",
            chart: "reloader",
            repo: RELOADER_REPO,
            values: buildReloaderValues(context.platformNamespace ? [context.platformNamespace.name] : []),
            podSecurity: "restricted",
            after: context.platformNamespace?.ready,
        },
        {
            addon: "prometheusOperatorCrds",
            namespace: "monitoring",
            chart: "prometheus-operator-crds",
            repo: "https://prometheus-community.github.io/helm-charts",
            values: prometheusOperatorCrdsValues(),
            podSecurity: "restricted",
        },
        {
            addon: "traefik",
            namespace: CONTROLLER_NAMESPACE,
            chart: "traefik",
            repo: "https://traefik.github.io/charts",
            values: context.gateway ? buildTraefikValues(context.gateway, config.traefik) : {},
            // Traefik runs as UID 65532 with every capability dropped on ports 8000/8443; cert-manager's
            // HTTP-01 solver pods, made in this namespace for the Gateway's certificates, meet
            // `restricted` since cert-manager 1.10 (cert-manager/cert-manager#5338).
            podSecurity: "restricted",
            release: TRAEFIK_RELEASE,
            needsGatewayApi: true,
        },
    ];
    return all.filter((chart) => config[chart.addon].enabled);
}

export interface ClusterAddonsArgs extends AddonContext {
    config: AddonsConfig;
}

export class ClusterAddons extends pulumi.ComponentResource {
    /** The installed charts (and CRD manifests); depend on these before creating their custom resources. */
    readonly crdsReady: pulumi.Resource[];
    /** The installed Helm charts. */
    readonly charts: k8s.helm.v4.Chart[];

    constructor(name: string, args: ClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:addons:ClusterAddons", name, {}, opts);
        if (args.config.traefik.enabled && !args.gateway)
            throw new Error("ClusterAddons: `addons.traefik` needs the stack's Gateway plan (resolveStackGateway)");
        const gatewayApiCrds = args.config.traefik.enabled
            ? new k8s.yaml.v2.ConfigFile(`${name}-gateway-api-crds`, { file: gatewayApiCrdsUrl(args.config.traefik.gatewayApiVersion) }, { parent: this })
            : undefined;
        const charts = enabledAddonCharts(args.config, args).map((addon) => {
            const namespace = new k8s.core.v1.Namespace(
                `${name}-${addon.namespace}`,
                { metadata: { name: addon.namespace, labels: { "app.kubernetes.io/managed-by": "pulumi", ...podSecurityLabels(addon.podSecurity) } } },
                { parent: this },
            );
            return new k8s.helm.v4.Chart(
                `${name}-${addon.chart}`,
                {
                    chart: addon.chart,
                    ...(addon.release ? { name: addon.release } : {}),
                    version: args.config[addon.addon].version,
                    repositoryOpts: { repo: addon.repo },
                    namespace: namespace.metadata.name,
                    values: addon.values,
                },
                { parent: this, dependsOn: [...(addon.needsGatewayApi && gatewayApiCrds ? [gatewayApiCrds] : []), ...(addon.after ?? [])] },
            );
        });
        this.charts = charts;
        this.crdsReady = [...(gatewayApiCrds ? [gatewayApiCrds] : []), ...charts];
        this.registerOutputs({});
    }
}
