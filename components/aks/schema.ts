/** The `cluster.aks` block: the AKS cluster the stack creates (target `aks`). */
import { z } from "zod";
import { accessList, accessProblems, deployerBlock } from "../azure/access/schema";
import { addressInCidr, cidrsOverlap, ipv4Address, ipv4Range, isIpv4Address } from "../core/cidr";
import { cidr } from "../core/schema";
import { AKS_RESERVED_RANGES } from "../azure/network/schema";
import type { ConfigProblem } from "../core/problems";

const nodePool = (defaults: { vmSize: string; minCount: number; maxCount: number }) =>
    z
        .strictObject({
            vmSize: z.string().min(1).default(defaults.vmSize).meta({ description: "VM size of the nodes." }),
            minCount: z.number().int().min(1).max(1000).default(defaults.minCount).meta({ description: "Autoscaler minimum node count." }),
            maxCount: z.number().int().min(1).max(1000).default(defaults.maxCount).meta({ description: "Autoscaler maximum node count." }),
            zones: z
                .array(z.enum(["1", "2", "3"]).meta({ description: "An availability zone." }))
                .min(1)
                .default(["1", "2", "3"])
                .meta({ description: "Availability zones the pool spreads across." }),
        })
        .prefault({})
        .superRefine((pool, ctx) => {
            if (pool.minCount > pool.maxCount) ctx.addIssue({ code: "custom", path: ["minCount"], message: `must not exceed maxCount (${pool.maxCount})` });
        });

export const aksBlock = z
    .strictObject({
        location: z.string().min(1).meta({ description: "Azure region, e.g. `westeurope` (required)." }),
        resourceGroupName: z
            .string()
            .regex(/^[-\w._()]{1,90}$/, "must be an Azure resource group name")
            .meta({ description: "Resource group created for the cluster; default `agent-platform-<stack>`." })
            .optional(),
        clusterName: z
            .string()
            .regex(/^[a-zA-Z0-9][-_a-zA-Z0-9]{0,62}$/, "must be an AKS cluster name")
            .meta({ description: "AKS cluster name; default `agent-platform-<stack>`." })
            .optional(),
        kubernetesVersion: z
            .string()
            .regex(/^\d+\.\d+(\.\d+)?$/, "must be a Kubernetes version")
            .meta({ description: "Kubernetes version (e.g. 1.33); default: the AKS default, then kept current by the upgrade channel." })
            .optional(),
        tier: z.enum(["Free", "Standard", "Premium"]).default("Standard").meta({ description: "AKS pricing tier; Standard adds the uptime SLA." }),
        adminGroupObjectIds: z
            .array(z.string().uuid("must be an Entra ID group object id").meta({ description: "An Entra ID group object id." }))
            .default([])
            .meta({
                description:
                    "Entra ID groups bound to Kubernetes cluster-admin by AKS (local accounts are disabled, so access is through Entra ID); `cluster.aks.access` assigns finer Azure roles.",
            }),
        access: accessList,
        deployer: deployerBlock,
        kubeloginMode: z.enum(["azurecli", "workloadidentity", "spn", "devicecode", "msi"]).default("azurecli").meta({
            description:
                "How `kubelogin` in the stack's kubeconfig (the Kubernetes provider's and the `kubeconfig` output) gets a token: `azurecli` for engineers after `az login`. CI overrides it for its run with `AAD_LOGIN_METHOD=workloadidentity`, which kubelogin prefers over the kubeconfig (docs/ci.md).",
        }),
        upgradeChannel: z.enum(["stable", "patch", "rapid", "node-image"]).default("stable").meta({ description: "Cluster auto-upgrade channel." }),
        nodeOsUpgradeChannel: z.enum(["NodeImage", "SecurityPatch", "Unmanaged"]).default("NodeImage").meta({ description: "Node OS auto-upgrade channel." }),
        network: z
            .strictObject({
                podCidr: cidr("Pod CIDR of the Azure CNI overlay (a /24 per node); outside `azure.network.addressSpace`.").default("10.244.0.0/16"),
                serviceCidr: cidr("Service CIDR (/12 or smaller); outside `podCidr` and `azure.network.addressSpace`.").default("10.0.0.0/16"),
                dnsServiceIp: z
                    .string()
                    .refine(isIpv4Address, "must be an IPv4 address")
                    .default("10.0.0.10")
                    .meta({ description: "kube-dns Service IP, inside serviceCidr (not its first address)." }),
            })
            .prefault({})
            .superRefine((network, ctx) => {
                for (const problem of aksNetworkProblems(network)) ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
            })
            .meta({
                description: "Azure CNI overlay with Cilium: address ranges (https://learn.microsoft.com/azure/aks/azure-cni-overlay#ip-address-planning).",
            }),
        systemPool: nodePool({ vmSize: "Standard_D4ds_v5", minCount: 2, maxCount: 5 }).meta({
            description: "The system node pool (critical add-ons only).",
        }),
        userPool: nodePool({ vmSize: "Standard_D8ds_v5", minCount: 2, maxCount: 10 }).meta({
            description: "The user node pool the services run on.",
        }),
        tags: z
            .record(z.string(), z.string().meta({ description: "A tag value." }))
            .default({})
            .meta({ description: "Azure tags on every Azure resource." }),
        subscriptionId: z
            .string()
            .uuid("must be an Azure subscription id")
            .meta({
                description:
                    "Subscription of every Azure resource, set on the stack's explicit azure-native provider; default: the provider's environment (`ARM_SUBSCRIPTION_ID`, or the Azure CLI's current subscription).",
            })
            .optional(),
        tenantId: z
            .string()
            .uuid("must be an Entra ID tenant id")
            .meta({
                description:
                    "Entra ID tenant the azure-native provider signs in to; default: the provider's environment (`ARM_TENANT_ID`, or the Azure CLI's).",
            })
            .optional(),
    })
    .superRefine((aks, ctx) => {
        for (const problem of accessProblems(aks)) ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
    })
    .meta({ description: "AKS cluster created by the stack (target `aks`)." });

/**
 * The overlay's ranges among themselves: pods and Services apart, the DNS Service IP inside the
 * Service range but not its first address (that is `kubernetes.default`), none in a range AKS
 * reserves. https://learn.microsoft.com/azure/aks/azure-cni-overlay#ip-address-planning
 * Paths are relative to `cluster.aks.network`; malformed values are left to the field schemas.
 */
export function aksNetworkProblems(network: { podCidr: string; serviceCidr: string; dnsServiceIp: string }): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const { podCidr, serviceCidr, dnsServiceIp } = network;
    const service = ipv4Range(serviceCidr);
    for (const [name, cidr] of [
        ["podCidr", podCidr],
        ["serviceCidr", serviceCidr],
    ] as const) {
        for (const reserved of AKS_RESERVED_RANGES) {
            if (cidrsOverlap(cidr, reserved))
                problems.push({
                    path: [name],
                    message: `${cidr} overlaps ${reserved}, which AKS reserves (allowed: a private range outside ${AKS_RESERVED_RANGES.join(", ")})`,
                });
        }
    }
    if (cidrsOverlap(podCidr, serviceCidr)) {
        problems.push({
            path: ["serviceCidr"],
            message: `${serviceCidr} overlaps cluster.aks.network.podCidr ${podCidr} (allowed: disjoint ranges, e.g. the defaults 10.0.0.0/16 and 10.244.0.0/16)`,
        });
    }
    if (service && service.prefix < 12)
        problems.push({ path: ["serviceCidr"], message: `${serviceCidr} is larger than AKS allows (allowed: a prefix of /12 or longer, e.g. /16)` });
    const dns = ipv4Address(dnsServiceIp);
    if (service && dns !== undefined) {
        if (!addressInCidr(dnsServiceIp, serviceCidr))
            problems.push({
                path: ["dnsServiceIp"],
                message: `${dnsServiceIp} is outside cluster.aks.network.serviceCidr ${serviceCidr} (allowed: an address inside it, e.g. its tenth)`,
            });
        else if (dns === service.first)
            problems.push({
                path: ["dnsServiceIp"],
                message: `${dnsServiceIp} is the first address of ${serviceCidr}, which \`kubernetes.default\` takes (allowed: another address inside it, e.g. its tenth)`,
            });
    }
    return problems;
}

export type AksConfig = z.output<typeof aksBlock>;
