/** The platform-wide blocks: the namespace, the platform domain and the shared image settings. */
import { z } from "zod";
import { dnsLabel, sensitiveString } from "./common";

export const namespaceBlock = z
    .strictObject({
        name: dnsLabel("Namespace every service is deployed into.").default("agent-platform"),
        create: z
            .boolean()
            .default(true)
            .meta({ description: "Create the namespace (with Pod Security Admission labels); false uses an existing one." }),
        podSecurity: z
            .enum(["restricted", "baseline", "privileged"])
            .default("restricted")
            .meta({ description: "Pod Security Admission level set as enforce, audit and warn labels on a created namespace." }),
    })
    .meta({ description: "The Kubernetes namespace of the platform." });

export const imagesBlock = z
    .strictObject({
        registry: z
            .string()
            .regex(/^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)*$/, "must be a registry host with optional path")
            .meta({
                description: "Registry that replaces the registry of every image without an explicit per-image registry (for vendored images).",
                allowed: "a registry host[:port][/path], e.g. myregistry.azurecr.io",
            })
            .optional(),
        pullSecrets: z
            .array(dnsLabel("Name of an existing image pull Secret."))
            .default([])
            .meta({ description: "Existing image pull Secrets added to every pod." }),
        credentials: z
            .array(
                z.strictObject({
                    registry: z
                        .string()
                        .regex(/^[a-z0-9.-]+(:[0-9]+)?$/, "must be a registry host")
                        .meta({ description: "Registry host, e.g. cr.seqera.io.", allowed: "a host[:port]" }),
                    username: z.string().min(1).meta({ description: "User name at the registry." }),
                    password: sensitiveString("Password or token at the registry."),
                }).meta({ description: "One registry login." }),
            )
            .default([])
            .meta({
                description:
                    "Registry logins (Seqera's `global.imageCredentials`): the stack creates one dockerconfigjson Secret from them and adds it to every pod's pull secrets.",
            }),
    })
    .superRefine((images, ctx) => {
        const registries = (images.credentials ?? []).map((c) => c.registry);
        registries.forEach((registry, i) => {
            if (registries.indexOf(registry) !== i) ctx.addIssue({ code: "custom", path: ["credentials", i, "registry"], message: `'${registry}' is listed twice` });
        });
    })
    .meta({ description: "Images: a registry override and the image pull credentials shared by every workload." });

export const platformBlock = z
    .strictObject({
        domain: z
            .string()
            .regex(/^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a DNS domain")
            .meta({ description: "Platform domain: ingress hosts written as `ai.{domain}` resolve against it.", allowed: "a DNS domain such as example.com" })
            .optional(),
    })
    .meta({ description: "Settings shared by every service." });
