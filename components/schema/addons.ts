/** The `addons` block: Helm charts for a bare cluster. */
import { z } from "zod";

const chartVersion = (defaultVersion: string, description: string) =>
    z.string().min(1).default(defaultVersion).meta({ description });

export const addonsBlock = z
    .strictObject({
        certManager: z
            .strictObject({
                enabled: z.boolean().default(false).meta({ description: "Install cert-manager (with its CRDs) from charts.jetstack.io." }),
                version: chartVersion("v1.17.2", "cert-manager chart version."),
            })
            .prefault({})
            .meta({ description: "cert-manager, for ingress TLS certificates." }),
        externalSecrets: z
            .strictObject({
                enabled: z.boolean().default(false).meta({ description: "Install the External Secrets Operator (with its CRDs)." }),
                version: chartVersion("0.17.0", "external-secrets chart version (0.17 or later serves external-secrets.io/v1)."),
            })
            .prefault({})
            .meta({ description: "External Secrets Operator, for the secrets block's `external` mode." }),
        prometheusOperatorCrds: z
            .strictObject({
                enabled: z.boolean().default(false).meta({ description: "Install only the Prometheus Operator CRDs (ServiceMonitor, PrometheusRule)." }),
                version: chartVersion("20.0.0", "prometheus-operator-crds chart version."),
            })
            .prefault({})
            .meta({ description: "Prometheus Operator CRDs, for clusters without kube-prometheus-stack." }),
    })
    .meta({ description: "Cluster add-ons for a bare cluster, installed with Helm by Pulumi; all off by default." });
