/**
 * `cluster.aks.access` and `cluster.aks.deployer`: who may do what on the AKS cluster the stack
 * creates. Local accounts are disabled, so without an Azure role nobody (the identity running
 * `pulumi up` included) can make a single Kubernetes call.
 */
import { z } from "zod";
import { ACCESS_ROLE_NAMES, ACCESS_ROLES } from "./roles";
import type { ConfigProblem } from "../../core/problems";

/** An Entra ID object id: 8-4-4-4-12 hex digits (object ids are not always RFC 4122 version 4). */
export const OBJECT_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const roleList = ACCESS_ROLE_NAMES.map((role) => `\`${role}\` (${ACCESS_ROLES[role].azureName}: ${ACCESS_ROLES[role].grants})`).join("; ");

export const accessEntry = z
    .strictObject({
        principalId: z.string().regex(OBJECT_ID, "must be an Entra ID object id").meta({
            description:
                "Object id of the user, group or service principal (for a workload identity or app registration: its service principal's object id, not the client id).",
            allowed: "a GUID such as 6f1c8e9a-0b1d-4c2e-9f3a-5b6c7d8e9f01",
        }),
        principalType: z
            .enum(["User", "Group", "ServicePrincipal"])
            .meta({ description: "What the principal is; Azure refuses an assignment whose type does not match (managed identities are `ServicePrincipal`)." }),
        role: z.enum(ACCESS_ROLE_NAMES).meta({ description: `The role: ${roleList}.` }),
        namespace: z
            .string()
            .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a Kubernetes namespace name")
            .max(63)
            .meta({
                description: "Narrow `admin`, `writer` or `reader` to this Kubernetes namespace; default: the whole cluster.",
                allowed: "a DNS label such as agents",
            })
            .optional(),
        description: z.string().max(1024).meta({ description: "Why the principal has the role; shown on the role assignment in Azure." }).optional(),
    })
    .meta({ description: "One role for one principal." });

export type AccessEntry = z.infer<typeof accessEntry>;

export const accessList = z.array(accessEntry).default([]).meta({
    description:
        "Azure roles the stack assigns on the cluster (or one namespace of it) or on its resource group, e.g. for people, groups and the CI identities (docs/ci.md). Every Kubernetes object waits for these assignments.",
});

export const deployerBlock = z
    .strictObject({
        grant: z.boolean().default(true).meta({
            description:
                "Give the identity running `pulumi up` (the azure-native provider's, from `getClientConfig`) Azure Kubernetes Service RBAC Cluster Admin on the cluster, so the same `up` can create the Kubernetes objects. Turn it off only when every identity that runs `up` has `clusterAdmin` through `cluster.aks.access` or `adminGroupObjectIds`.",
        }),
        principalType: z.enum(["auto", "User", "ServicePrincipal"]).default("auto").meta({
            description:
                "The deployer's principal type, which its role assignment must state: `auto` takes ServicePrincipal when the azure-native provider signs in as an application (ARM_USE_OIDC, ARM_USE_MSI, ARM_CLIENT_SECRET, ARM_CLIENT_CERTIFICATE_PATH, ARM_OIDC_TOKEN, ARM_OIDC_TOKEN_FILE_PATH set), else User (an `az login` as a person). Set it for `az login --service-principal` or `--identity`.",
        }),
    })
    .prefault({})
    .meta({ description: "The identity running `pulumi up` and its access to the cluster's Kubernetes API." });

export type DeployerConfig = z.infer<typeof deployerBlock>;

/**
 * Rules across the access entries (paths relative to `cluster.aks`): a namespace only where the
 * role can be narrowed, one assignment per principal, role and scope (Azure refuses a second
 * one), and someone who can deploy when the deployer gets no role.
 */
export function accessProblems(aks: { access: AccessEntry[]; deployer: DeployerConfig; adminGroupObjectIds: string[] }): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const seen = new Map<string, number>();
    aks.access.forEach((entry, index) => {
        const spec = ACCESS_ROLES[entry.role];
        if (entry.namespace !== undefined && !spec.namespaced) {
            problems.push({
                path: ["access", index, "namespace"],
                message: `role ${entry.role} cannot be narrowed to a namespace (allowed: remove namespace, or a role of admin, writer, reader)`,
            });
        }
        const key = `${entry.principalId.toLowerCase()}|${entry.role}|${entry.namespace ?? ""}`;
        const first = seen.get(key);
        if (first !== undefined) {
            problems.push({
                path: ["access", index],
                message: `repeats cluster.aks.access[${first}] (the same principal, role and scope); Azure refuses a second identical role assignment (allowed: one entry per principal, role and namespace)`,
            });
        } else {
            seen.set(key, index);
        }
    });
    const admins = aks.access.some((entry) => entry.role === "clusterAdmin") || aks.adminGroupObjectIds.length > 0;
    if (!aks.deployer.grant && !admins) {
        problems.push({
            path: ["deployer", "grant"],
            message:
                "is false, and no cluster.aks.access entry has role clusterAdmin and adminGroupObjectIds is empty: `pulumi up` could not create a single Kubernetes object (allowed: true, or give the identities that deploy role clusterAdmin in cluster.aks.access)",
        });
    }
    return problems;
}
