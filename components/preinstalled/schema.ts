/**
 * The `preinstalled` block: what a kubeconfig cluster already has that the stack uses but does
 * not create. The readiness pass (tools/readiness) checks every reference of the render
 * against what the stack creates plus these declarations. On a cluster the stack creates (AKS)
 * nothing pre-exists: declarations there are reported as errors.
 */
import { z } from "zod";
import { OBJECT_NAME_PATTERN } from "../secrets";
import { dnsLabel } from "../core/schema";

const objectName = (description: string) =>
    z
        .string()
        .regex(OBJECT_NAME_PATTERN, "must be a Kubernetes object name")
        .meta({ description, allowed: "a Kubernetes object name (lowercase, digits, '-', '.')" });

const names = (description: string, item: z.ZodString) => z.array(item).default([]).meta({ description });

export const PREINSTALLED_KINDS = ["Secret", "ConfigMap", "PersistentVolumeClaim", "ServiceAccount", "Namespace", "Service"] as const;

export const preinstalledBlock = z
    .strictObject({
        objects: z
            .array(
                z
                    .strictObject({
                        kind: z.enum(PREINSTALLED_KINDS).meta({ description: "Kind of the object." }),
                        namespace: dnsLabel("Its namespace (not for a Namespace).").optional(),
                        name: objectName("Its name."),
                    })
                    .meta({ description: "An object made outside this stack." }),
            )
            .default([])
            .meta({
                description:
                    "Objects made outside the stack that its pods use (a Secret made by hand, a shared ConfigMap, a PersistentVolumeClaim). `existingSecret` settings of the services declare their own.",
            }),
        ingressClasses: names("IngressClasses a controller on the cluster serves, e.g. `nginx`.", objectName("An IngressClass name.")),
        gatewayClasses: names("GatewayClasses a Gateway API controller on the cluster serves.", objectName("A GatewayClass name.")),
        gateways: z
            .array(
                z
                    .strictObject({ namespace: dnsLabel("Namespace of the Gateway."), name: objectName("Name of the Gateway.") })
                    .meta({ description: "A Gateway made outside the stack." }),
            )
            .default([])
            .meta({ description: "Gateways (gateway.networking.k8s.io) that routes of the stack may attach to." }),
        issuers: z
            .array(
                z
                    .strictObject({
                        kind: z.enum(["ClusterIssuer", "Issuer"]).meta({ description: "cert-manager issuer kind." }),
                        namespace: dnsLabel("Namespace of an Issuer.").optional(),
                        name: objectName("Name of the issuer."),
                    })
                    .meta({ description: "A cert-manager issuer made outside the stack." }),
            )
            .default([])
            .meta({ description: "cert-manager issuers the stack's TLS settings may name." }),
        crdGroups: names(
            "API groups whose CRDs are installed on the cluster (e.g. `monitoring.coreos.com` from a kube-prometheus-stack you run).",
            z
                .string()
                .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/, "must be an API group")
                .meta({ description: "An API group." }),
        ),
    })
    .superRefine((block, ctx) => {
        block.objects.forEach((object, index) => {
            if (object.kind === "Namespace" && object.namespace !== undefined) {
                ctx.addIssue({
                    code: "custom",
                    path: ["objects", index, "namespace"],
                    message: "is not allowed for a Namespace (allowed: `kind` and `name` only)",
                });
            }
            if (object.kind !== "Namespace" && object.namespace === undefined) {
                ctx.addIssue({
                    code: "custom",
                    path: ["objects", index, "namespace"],
                    message: `is required for a ${object.kind} (allowed: the namespace it lives in)`,
                });
            }
        });
        block.issuers.forEach((issuer, index) => {
            if ((issuer.kind === "Issuer") !== (issuer.namespace !== undefined)) {
                ctx.addIssue({
                    code: "custom",
                    path: ["issuers", index, "namespace"],
                    message: "is required for an Issuer and not allowed for a ClusterIssuer",
                });
            }
        });
    })
    .meta({
        description:
            "What a kubeconfig cluster already has that the stack uses but does not create; the readiness pass checks references against it (see docs/readiness.md).",
    });

export type PreinstalledConfig = z.infer<typeof preinstalledBlock>;
