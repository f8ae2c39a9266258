/**
 * AzureNetwork: the stack's own virtual network in the cluster's resource group, with a node
 * subnet for both AKS pools and a subnet delegated to MySQL Flexible Server; the rest of the
 * address space stays free. The address plan is checked before any resource is registered
 * (`resolveAzureNetwork`); docs/azure-network.md describes it and how to peer with it.
 *
 * Its azure-native provider comes through `opts.providers` (or the parent's); the default
 * provider is disabled.
 */
import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { AzureNetworkArgs, buildMysqlSubnetSpec, buildNodeSubnetSpec, buildVirtualNetworkSpec, resolveAzureNetwork } from "./build";

export type { AzureNetworkArgs, ResolvedAzureNetwork } from "./build";
export { MYSQL_DELEGATION_SERVICE, resolveAzureNetwork, virtualNetworkName } from "./build";
export type { AksNetworkFacts, AzureNetworkConfig } from "./schema";

/** A subnet the stack created: its Azure id (resolves once it exists) and its range. */
export interface StackSubnet {
    id: pulumi.Output<string>;
    /** The range given to the subnet resource, known before deployment (for NetworkPolicies). */
    cidr: string;
}

export class AzureNetwork extends pulumi.ComponentResource {
    readonly vnetId: pulumi.Output<string>;
    readonly vnetName: pulumi.Output<string>;
    readonly addressSpace: string;
    /** Both AKS node pools. */
    readonly nodeSubnet: StackSubnet;
    /** Delegated to Microsoft.DBforMySQL/flexibleServers. */
    readonly mysqlSubnet: StackSubnet;

    constructor(name: string, args: AzureNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        const resolved = resolveAzureNetwork(args);
        super("agent-platform:azure:AzureNetwork", name, {}, opts);
        const vnet = new network.VirtualNetwork(
            `${name}-vnet`,
            { resourceGroupName: args.resourceGroupName, ...buildVirtualNetworkSpec(resolved, args) },
            // Subnets are their own resources; never let a refreshed inline list diff against them.
            { parent: this, ignoreChanges: ["subnets"] },
        );
        const nodes = new network.Subnet(
            `${name}-nodes`,
            { resourceGroupName: args.resourceGroupName, virtualNetworkName: vnet.name, ...buildNodeSubnetSpec(resolved) },
            { parent: this },
        );
        // Azure refuses concurrent changes to subnets of one VNet (AnotherOperationInProgress): one at a time.
        const mysql = new network.Subnet(
            `${name}-mysql`,
            { resourceGroupName: args.resourceGroupName, virtualNetworkName: vnet.name, ...buildMysqlSubnetSpec(resolved) },
            { parent: this, dependsOn: [nodes] },
        );
        this.vnetId = vnet.id;
        this.vnetName = vnet.name;
        this.addressSpace = resolved.addressSpace;
        this.nodeSubnet = { id: nodes.id, cidr: resolved.subnets.nodes.cidr };
        this.mysqlSubnet = { id: mysql.id, cidr: resolved.subnets.mysql.cidr };
        this.registerOutputs({ vnetId: this.vnetId, nodeSubnetId: this.nodeSubnet.id, mysqlSubnetId: this.mysqlSubnet.id });
    }
}
