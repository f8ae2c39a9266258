/**
 * Schema pieces shared by the config blocks: names, quantities, images, CIDRs, and the
 * sensitive string that turns a secret config value into a secret Output.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { CIDR_ALLOWED, parseIpv4Cidr } from "./cidr";

/**
 * A sensitive string: it must be stored with `pulumi config set --secret`, and it leaves the
 * config layer only as a secret Output, so it stays secret all the way to the Secret object.
 */
export function sensitiveString(description: string) {
    return z
        .string()
        .min(1, "must not be empty")
        .meta({ description, sensitive: true })
        .transform((value): pulumi.Output<string> => pulumi.secret(value));
}

/** Shown in error messages and the reference for values that are Kubernetes object names. */
export const dnsLabelPattern = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const dnsLabel = (description: string) =>
    z
        .string()
        .regex(dnsLabelPattern, "must be a DNS-1123 label")
        .meta({ description, allowed: "lowercase letters, digits and '-', at most 63 characters, starting and ending alphanumeric" });

export const imageDigest = z
    .string()
    .regex(/^sha256:[a-f0-9]{64}$/, "must be a sha256 digest")
    .meta({ description: "Image digest; when set the image is pulled by digest.", allowed: "sha256:<64 hex characters>" });

export const quantityPattern = /^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?$/;
export const quantity = (description: string) =>
    z.string().regex(quantityPattern, "must be a Kubernetes quantity").meta({
        description,
        allowed: "a Kubernetes quantity such as 500m, 2, 512Mi, 1Gi",
    });

export const pullPolicy = z.enum(["Always", "IfNotPresent", "Never"]).meta({ description: "Image pull policy." });

/** Container resources; the whole block replaces the default when set. */
export const resources = (defaults: { requests: { cpu: string; memory: string }; limits: { cpu?: string; memory: string } }) =>
    z
        .strictObject({
            requests: z
                .strictObject({
                    cpu: quantity("CPU request."),
                    memory: quantity("Memory request."),
                })
                .meta({ description: "Resource requests (both required, so the scheduler can place the pod)." }),
            limits: z
                .strictObject({
                    cpu: quantity("CPU limit; leave unset to avoid CPU throttling.").optional(),
                    memory: quantity("Memory limit."),
                })
                .meta({ description: "Resource limits (a memory limit is required)." }),
        })
        .default(defaults);

/** A config field holding a canonical IPv4 CIDR (components/core/cidr.ts says why canonical). */
export const cidr = (description: string) =>
    z
        .string()
        .refine((value) => parseIpv4Cidr(value) !== undefined, { error: (issue) => `'${String(issue.input)}' is not allowed (allowed: ${CIDR_ALLOWED})` })
        .meta({ description, allowed: CIDR_ALLOWED });
