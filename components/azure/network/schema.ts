/**
 * The `azure.network` block: the stack's own virtual network, its address space and subnets,
 * and the rules that keep the address plan sound before any resource exists.
 *
 * Default plan (docs/azure-network.md):
 *   10.224.0.0/16   the virtual network (AKS's own default VNet range, clear of the overlay's
 *                   pod range 10.244.0.0/16 and service range 10.0.0.0/16)
 *   10.224.0.0/20   nodes: both node pools, and internal load balancers (4091 usable addresses)
 *   10.224.16.0/24  mysql: delegated to Microsoft.DBforMySQL/flexibleServers
 *   10.224.17.0 - 10.224.255.255   free, for later subnets (private endpoints, gateways)
 */
import { z } from "zod";
import { type ConfigProblem, keyPath } from "../../core/problems";
import { cidrContains, cidrSize, cidrsOverlap, ipv4Range } from "../../core/cidr";
import { cidr } from "../../core/schema";

/**
 * Ranges AKS refuses for the virtual network, the pod range and the service range.
 * https://learn.microsoft.com/azure/aks/configure-kubenet (prerequisites)
 */
export const AKS_RESERVED_RANGES: readonly string[] = ["169.254.0.0/16", "172.30.0.0/16", "172.31.0.0/16", "192.0.2.0/24"];

/**
 * The smallest subnet a MySQL Flexible Server accepts (/29: 3 usable addresses after Azure's 5;
 * one per server, two with high availability).
 * https://learn.microsoft.com/azure/mysql/flexible-server/concepts-networking-vnet#private-access-virtual-network-integration
 */
export const MYSQL_SUBNET_MAX_PREFIX = 29;

/** Azure keeps 5 addresses of every subnet. https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq#are-there-any-restrictions-on-using-ip-addresses-within-these-subnets */
export const AZURE_RESERVED_PER_SUBNET = 5;

/** The subnets of the plan, by config key. */
export const SUBNET_KEYS = ["nodes", "mysql"] as const;
export type SubnetKey = (typeof SUBNET_KEYS)[number];

export const azureNetworkBlock = z
    .strictObject({
        name: z
            .string()
            // Azure allows 64; AKS labels nodes with the name, so 63 (Kubernetes label values).
            .regex(/^[a-zA-Z0-9]([-a-zA-Z0-9_.]{0,61}[a-zA-Z0-9_])?$/, "must be a virtual network name of at most 63 characters")
            .meta({ description: "Virtual network name (at most 63 characters, as AKS requires); default `agent-platform-<stack>-vnet`." })
            .optional(),
        addressSpace: cidr(
            "Address space of the virtual network; must not overlap `cluster.aks.network.podCidr`/`serviceCidr`, nor any network you peer with.",
        ).default("10.224.0.0/16"),
        subnets: z
            .strictObject({
                nodes: cidr("Subnet of both AKS node pools (one address per node, plus internal load balancers).").default("10.224.0.0/20"),
                mysql: cidr(
                    "Subnet delegated to Azure Database for MySQL Flexible Server (/29 or larger; a server cannot move to another subnet later).",
                ).default("10.224.16.0/24"),
            })
            .prefault({})
            .meta({ description: "Subnets, inside `addressSpace` and disjoint; the rest of the space is free for later subnets." }),
        peeredRanges: z.array(cidr("A range of a network peered with this one.")).default([]).meta({
            description:
                "Address ranges of networks you peer with this one (the stack does not create peerings; see docs/azure-network.md). The readiness pass treats them as reachable; any other private address a service is configured with has no route.",
        }),
    })
    .superRefine((network, ctx) => {
        for (const problem of azureNetworkProblems(network)) ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
    })
    .meta({
        description: "The stack's virtual network (target `aks`): the node pools and the private MySQL server live in its subnets; see docs/azure-network.md.",
    });

export type AzureNetworkConfig = z.output<typeof azureNetworkBlock>;

/** What the address plan must keep clear of and make room for, from `cluster.aks`. */
export interface AksNetworkFacts {
    network: { podCidr: string; serviceCidr: string };
    systemPool: { maxCount: number };
    userPool: { maxCount: number };
}

const key = (...path: string[]) => keyPath(["azure", "network", ...path]);

/** The block's own rules; paths relative to the block. Malformed CIDRs are left to the schema. */
export function azureNetworkProblems(network: AzureNetworkConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const space = network.addressSpace;
    if (!ipv4Range(space)) return problems;
    for (const reserved of AKS_RESERVED_RANGES) {
        if (cidrsOverlap(space, reserved)) {
            problems.push({
                path: ["addressSpace"],
                message: `${space} overlaps ${reserved}, which AKS reserves (allowed: a private range outside ${AKS_RESERVED_RANGES.join(", ")})`,
            });
        }
    }
    const subnets = SUBNET_KEYS.map((name) => [name, network.subnets[name]] as const).filter(([, cidr]) => ipv4Range(cidr));
    for (const [name, cidr] of subnets) {
        if (!cidrContains(space, cidr)) problems.push({ path: ["subnets", name], message: `${cidr} is outside ${key("addressSpace")} ${space}` });
    }
    subnets.forEach(([name, cidr], i) => {
        for (const [other, otherCidr] of subnets.slice(0, i)) {
            if (cidrsOverlap(cidr, otherCidr)) {
                problems.push({
                    path: ["subnets", name],
                    message: `${cidr} overlaps ${key("subnets", other)} ${otherCidr} (allowed: disjoint ranges inside ${key("addressSpace")})`,
                });
            }
        }
    });
    network.peeredRanges.forEach((range, index) => {
        if (ipv4Range(range) && cidrsOverlap(range, space)) {
            problems.push({
                path: ["peeredRanges", index],
                message: `${range} overlaps ${key("addressSpace")} ${space}; peered networks need their own ranges (allowed: a range outside ${space})`,
            });
        }
    });
    const mysql = ipv4Range(network.subnets.mysql);
    if (mysql && mysql.prefix > MYSQL_SUBNET_MAX_PREFIX) {
        problems.push({
            path: ["subnets", "mysql"],
            message: `${network.subnets.mysql} is smaller than /${MYSQL_SUBNET_MAX_PREFIX}, the smallest subnet Azure Database for MySQL accepts (allowed: a prefix of /${MYSQL_SUBNET_MAX_PREFIX} or shorter, e.g. /28)`,
        });
    }
    return problems;
}

/** Upgrade surge AKS adds per pool while it replaces nodes: 10% of the pool, at least one node. */
export const surgeNodes = (maxCount: number) => Math.max(1, Math.ceil(maxCount / 10));

/**
 * Rules against `cluster.aks`: the virtual network must stay clear of the overlay's pod and
 * service ranges (https://learn.microsoft.com/azure/aks/azure-cni-overlay#ip-address-planning),
 * and the node subnet must hold every node the autoscaler may add, plus the upgrade surge.
 * Paths are absolute (from the stack's root).
 */
export function azureNetworkStackProblems(network: AzureNetworkConfig, aks: AksNetworkFacts): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const space = network.addressSpace;
    const ranges = [
        ["podCidr", aks.network.podCidr, "the overlay's pod range must not overlap the network the nodes live in"],
        ["serviceCidr", aks.network.serviceCidr, "Service IPs inside the network would shadow its addresses"],
    ] as const;
    for (const [name, cidr, why] of ranges) {
        if (cidrsOverlap(space, cidr)) {
            problems.push({
                path: ["azure", "network", "addressSpace"],
                message: `${space} overlaps cluster.aks.network.${name} ${cidr}: ${why} (allowed: disjoint ranges, e.g. the default 10.224.0.0/16 with ${name === "podCidr" ? "10.244.0.0/16" : "10.0.0.0/16"})`,
            });
        }
    }
    const nodes = network.subnets.nodes;
    if (ipv4Range(nodes)) {
        const usable = cidrSize(nodes) - AZURE_RESERVED_PER_SUBNET;
        const { systemPool, userPool } = aks;
        const needed = systemPool.maxCount + surgeNodes(systemPool.maxCount) + userPool.maxCount + surgeNodes(userPool.maxCount);
        if (usable < needed) {
            problems.push({
                path: ["azure", "network", "subnets", "nodes"],
                message: `${nodes} has ${Math.max(usable, 0)} usable addresses, but the node pools may need ${needed} (cluster.aks.systemPool.maxCount ${systemPool.maxCount} + cluster.aks.userPool.maxCount ${userPool.maxCount}, plus 10% upgrade surge each) (allowed: a larger subnet, e.g. a /24)`,
            });
        }
    }
    return problems;
}
