/**
 * Pure pieces of the stack's virtual network: names and the inputs of the VirtualNetwork and
 * its subnets (plain objects, for tests), and `resolveAzureNetwork`, which refuses a bad
 * address plan before any resource exists.
 */
import { throwProblems, under } from "../../core/problems";
import type { AzurePlacement } from "../placement";
import { AksNetworkFacts, AzureNetworkConfig, azureNetworkProblems, azureNetworkStackProblems } from "./schema";

/** Service a subnet is delegated to so MySQL Flexible Servers can be injected into it. */
export const MYSQL_DELEGATION_SERVICE = "Microsoft.DBforMySQL/flexibleServers";

export interface AzureNetworkArgs extends AzurePlacement {
    /** The `azure.network` block. */
    config: AzureNetworkConfig;
    /** `cluster.aks`: the overlay ranges to stay clear of and the pool sizes the node subnet must hold. */
    cluster: AksNetworkFacts;
}

export interface ResolvedAzureNetwork {
    vnetName: string;
    addressSpace: string;
    subnets: { nodes: { name: string; cidr: string }; mysql: { name: string; cidr: string } };
}

export function virtualNetworkName(args: Pick<AzureNetworkArgs, "config" | "stack">): string {
    return args.config.name ?? `agent-platform-${args.stack}-vnet`;
}

/** The address plan, or an error naming every bad key (the config layer runs the same rules). */
export function resolveAzureNetwork(args: AzureNetworkArgs): ResolvedAzureNetwork {
    throwProblems([...under(["azure", "network"], azureNetworkProblems(args.config)), ...azureNetworkStackProblems(args.config, args.cluster)]);
    return {
        vnetName: virtualNetworkName(args),
        addressSpace: args.config.addressSpace,
        subnets: { nodes: { name: "nodes", cidr: args.config.subnets.nodes }, mysql: { name: "mysql", cidr: args.config.subnets.mysql } },
    };
}

/**
 * The VirtualNetwork without inline subnets: they are separate Subnet resources. Azure keeps the
 * subnets of a VNet updated without a `subnets` property (network API 2023-11-01 and later), and
 * so does azure-native (https://github.com/pulumi/pulumi-azure-native/issues/611).
 */
export function buildVirtualNetworkSpec(resolved: ResolvedAzureNetwork, placement: Pick<AzurePlacement, "location" | "tags">) {
    return {
        virtualNetworkName: resolved.vnetName,
        location: placement.location,
        addressSpace: { addressPrefixes: [resolved.addressSpace] },
        tags: placement.tags,
    };
}

/** The node subnet: no delegation (AKS refuses a delegated node subnet). */
export function buildNodeSubnetSpec(resolved: ResolvedAzureNetwork) {
    return { subnetName: resolved.subnets.nodes.name, addressPrefix: resolved.subnets.nodes.cidr };
}

/**
 * The MySQL subnet, delegated to Microsoft.DBforMySQL/flexibleServers: only Flexible Servers
 * may live in it. https://learn.microsoft.com/azure/mysql/flexible-server/concepts-networking-vnet#virtual-network-concepts
 */
export function buildMysqlSubnetSpec(resolved: ResolvedAzureNetwork) {
    return {
        subnetName: resolved.subnets.mysql.name,
        addressPrefix: resolved.subnets.mysql.cidr,
        delegations: [{ name: "mysql-flexible-servers", serviceName: MYSQL_DELEGATION_SERVICE }],
    };
}
