/** The `addons` block: Helm charts for a bare cluster, and the stack's own ingress path. */
import { z } from "zod";
import { dnsLabel, quantity } from "../core/schema";

const chartVersion = (defaultVersion: string, description: string) => z.string().min(1).default(defaultVersion).meta({ description });

/** Let's Encrypt's production directory (the default ACME server). */
export const LETSENCRYPT_PRODUCTION = "https://acme-v02.api.letsencrypt.org/directory";

const acmeBlock = z
    .strictObject({
        email: z.email("must be an e-mail address").meta({
            description: "Contact e-mail of the ACME account (expiry and revocation notices).",
            allowed: "an e-mail address such as platform@example.com",
        }),
        server: z
            .url({ protocol: /^https$/, error: "must be an https URL" })
            .default(LETSENCRYPT_PRODUCTION)
            .meta({
                description:
                    "ACME directory URL; default Let's Encrypt production (its staging directory is https://acme-staging-v02.api.letsencrypt.org/directory).",
            }),
        issuerName: dnsLabel("Name of the ClusterIssuer the stack creates.").default("letsencrypt"),
    })
    .meta({
        description:
            "An ACME ClusterIssuer the stack creates, solving HTTP-01 challenges through the stack's Gateway (`addons.traefik`); it issues the certificate of every HTTPS listener of that Gateway.",
    });

export const addonsBlock = z
    .strictObject({
        certManager: z
            .strictObject({
                enabled: z.boolean().default(false).meta({ description: "Install cert-manager (with its CRDs) from charts.jetstack.io." }),
                version: chartVersion("v1.17.2", "cert-manager chart version."),
                acme: acmeBlock.optional(),
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
        reloader: z
            .strictObject({
                enabled: z.boolean().default(false).meta({
                    description:
                        "Install Stakater Reloader, watching the platform namespace: a workload is rolled when a Secret it reads changes in place (a secret rotated in Key Vault, synced by External Secrets).",
                }),
                version: chartVersion("2.2.16", "reloader chart version (2.2.16 runs Reloader v1.4.21)."),
            })
            .prefault({})
            .meta({ description: "Stakater Reloader, so rotated secrets reach running pods; see docs/secrets.md." }),
        prometheusOperatorCrds: z
            .strictObject({
                enabled: z.boolean().default(false).meta({ description: "Install only the Prometheus Operator CRDs (ServiceMonitor, PrometheusRule)." }),
                version: chartVersion("20.0.0", "prometheus-operator-crds chart version."),
            })
            .prefault({})
            .meta({ description: "Prometheus Operator CRDs, for clusters without kube-prometheus-stack." }),
        traefik: z
            .strictObject({
                enabled: z.boolean().default(false).meta({
                    description:
                        "Install Traefik (Gateway API provider) with the Gateway API CRDs, and render the stack's shared Gateway; services route to it with `ingress.mode: gatewayApi`.",
                }),
                version: chartVersion("41.3.0", "traefik chart version (41.3.0 runs Traefik v3.7.11)."),
                gatewayApiVersion: z
                    .string()
                    .regex(/^v\d+\.\d+\.\d+$/, "must be a release tag such as v1.5.1")
                    .default("v1.5.1")
                    .meta({
                        description: "Gateway API release whose standard-channel CRDs the stack installs (the Traefik chart no longer ships them).",
                        allowed: "a release tag such as v1.5.1",
                    }),
                replicas: z
                    .number()
                    .int()
                    .min(1)
                    .max(20)
                    .default(2)
                    .meta({ description: "Traefik replicas (a PodDisruptionBudget keeps one up when there are two or more)." }),
                resources: z
                    .strictObject({
                        requests: z
                            .strictObject({ cpu: quantity("CPU request."), memory: quantity("Memory request.") })
                            .meta({ description: "Resource requests." }),
                        limits: z
                            .strictObject({ memory: quantity("Memory limit.") })
                            .meta({ description: "Resource limits (memory; CPU is left unthrottled)." }),
                    })
                    .default({ requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } })
                    .meta({ description: "Resources of the Traefik container." }),
                gatewayName: dnsLabel("Name of the shared Gateway, in the `traefik` namespace.").default("public"),
                dnsLabel: z
                    .string()
                    .regex(/^[a-z][-a-z0-9]{1,61}[a-z0-9]$/, "must be a DNS label starting with a letter")
                    .meta({
                        description:
                            "AKS only: DNS label of the load balancer's public IP (`service.beta.kubernetes.io/azure-dns-label-name`), giving it the name `<label>.<location>.cloudapp.azure.com` to point the hosts' CNAME records at.",
                        allowed: "3 to 63 lowercase letters, digits and '-', starting with a letter, unique in the Azure region",
                    })
                    .optional(),
            })
            .prefault({})
            .meta({
                description:
                    "Traefik v3 as the stack's Gateway API controller: one shared Gateway with an HTTPS listener per routed host and an HTTP listener that redirects to HTTPS.",
            }),
    })
    .meta({ description: "Cluster add-ons for a bare cluster, installed with Helm by Pulumi; all off by default." });

export type AddonsConfig = z.output<typeof addonsBlock>;
