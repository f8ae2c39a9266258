/**
 * AksCluster: an AKS cluster with a secure baseline, created with azure-native submodules.
 *
 * Resource group; a user-assigned identity for the control plane; a ManagedCluster with the
 * OIDC issuer and workload identity, Entra ID integration with Azure RBAC and local accounts
 * disabled, Azure CNI overlay with Cilium (dataplane and network policy), a system pool that
 * autoscales across zones and runs critical add-ons only, and auto-upgrade channels; then a
 * separate user AgentPool for workloads, because a cluster's inline pool profiles cannot be
 * changed after creation. The kubeconfig is the user credential in exec format for `kubelogin`.
 *
 * Access: local accounts are off, so the identity running `pulumi up` gets Azure Kubernetes
 * Service RBAC Cluster Admin on the cluster, and `cluster.aks.access` names roles for people and
 * pipelines (`AksAccess`, components/azure/access/); the stack's Kubernetes provider waits for
 * these assignments (components/cluster/).
 *
 * Both pools live in the node subnet of the stack's own virtual network (`AzureNetwork`, created
 * here because it needs the resource group and the cluster needs its subnet). Every Azure
 * resource and invoke uses the azure-native provider passed in `opts.providers`: the default
 * provider is disabled.
 */
import * as authorization from "@pulumi/azure-native/authorization";
import * as containerservice from "@pulumi/azure-native/containerservice";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import { parse, stringify } from "yaml";
import { AksAccess, deployerPrincipalType, resolveClusterAccess, roleDefinitionIdFor } from "../azure/access";
import { AzureNetwork, AzureNetworkConfig } from "../azure/network";
import type { AksConfig } from "./schema";

export interface AksClusterArgs {
    config: AksConfig;
    /** Stack name, for default resource names. */
    stack: string;
    /** The `azure.network` block: the virtual network the node pools live in. */
    network: AzureNetworkConfig;
    /**
     * The deployer's principal type, resolved by the wiring from `cluster.aks.deployer.principalType`
     * and the provider's environment; default: the configured type, `User` for `auto`.
     */
    deployerPrincipalType?: "User" | "ServicePrincipal";
}

/**
 * Built-in role "Network Contributor". A control plane with a user-assigned identity needs it on
 * a subnet outside the node resource group before the cluster is created, to join nodes and load
 * balancers to it. https://learn.microsoft.com/azure/aks/use-managed-identity (add a role assignment)
 */
export const NETWORK_CONTRIBUTOR_ROLE = "4d97b98b-1d4f-4787-a291-c67834d212e7";

export { roleDefinitionIdFor };

export interface ResolvedAksNames {
    resourceGroupName: string;
    clusterName: string;
}

export function resolveAksNames(args: AksClusterArgs): ResolvedAksNames {
    return {
        resourceGroupName: args.config.resourceGroupName ?? `agent-platform-${args.stack}`,
        clusterName: args.config.clusterName ?? `agent-platform-${args.stack}`,
    };
}

/** Inputs of the ManagedCluster, apart from names and the identity id (pure, for tests). */
export function buildManagedClusterSpec(config: AksConfig, clusterName: string, nodeSubnetId: pulumi.Input<string>) {
    return {
        location: config.location,
        dnsPrefix: clusterName,
        kubernetesVersion: config.kubernetesVersion,
        sku: { name: "Base", tier: config.tier },
        enableRBAC: true,
        disableLocalAccounts: true,
        aadProfile: { managed: true, enableAzureRBAC: true, adminGroupObjectIDs: config.adminGroupObjectIds },
        oidcIssuerProfile: { enabled: true },
        securityProfile: { workloadIdentity: { enabled: true }, imageCleaner: { enabled: true, intervalHours: 48 } },
        networkProfile: {
            networkPlugin: "azure",
            networkPluginMode: "overlay",
            networkDataplane: "cilium",
            networkPolicy: "cilium",
            podCidr: config.network.podCidr,
            serviceCidr: config.network.serviceCidr,
            dnsServiceIP: config.network.dnsServiceIp,
            loadBalancerSku: "standard",
        },
        autoUpgradeProfile: { upgradeChannel: config.upgradeChannel, nodeOSUpgradeChannel: config.nodeOsUpgradeChannel },
        agentPoolProfiles: [
            {
                name: "system",
                mode: "System",
                vmSize: config.systemPool.vmSize,
                enableAutoScaling: true,
                count: config.systemPool.minCount,
                minCount: config.systemPool.minCount,
                maxCount: config.systemPool.maxCount,
                availabilityZones: config.systemPool.zones,
                osType: "Linux",
                osSKU: "AzureLinux",
                vnetSubnetID: nodeSubnetId,
                // Keep workloads off the system pool: they go to the user pool.
                nodeTaints: ["CriticalAddonsOnly=true:NoSchedule"],
            },
        ],
        tags: config.tags,
    };
}

export function buildUserPoolSpec(config: AksConfig, nodeSubnetId: pulumi.Input<string>) {
    return {
        agentPoolName: "workloads",
        mode: "User",
        vmSize: config.userPool.vmSize,
        enableAutoScaling: true,
        count: config.userPool.minCount,
        minCount: config.userPool.minCount,
        maxCount: config.userPool.maxCount,
        availabilityZones: config.userPool.zones,
        osType: "Linux",
        osSKU: "AzureLinux",
        vnetSubnetID: nodeSubnetId,
        tags: config.tags,
    };
}

/** Flags of AKS's exec kubeconfig that only the interactive and secret-based logins use. */
const CLIENT_FLAGS = ["--client-id", "--tenant-id", "--environment"];

/**
 * Sets how `kubelogin` obtains a token in an exec-format AKS kubeconfig (`--login <mode>`):
 * AKS hands out `devicecode`, which cannot work in CI or under Pulumi. As `kubelogin
 * convert-kubeconfig` does (Azure/kubelogin pkg/internal/converter/convert.go), the `azurecli`,
 * `workloadidentity` and `msi` logins keep only `--server-id`: AKS's `--client-id` is its own
 * public client, which would make `msi` and `workloadidentity` sign in as the wrong application,
 * and the Azure CLI supplies its own tenant. Environment variables still override (docs/ci.md).
 */
export function withKubeloginMode(kubeconfig: string, mode: AksConfig["kubeloginMode"]): string {
    const doc = parse(kubeconfig) as { users?: Array<{ user?: { exec?: { command?: string; args?: string[] } } }> };
    const dropped = ["--login", ...(mode === "azurecli" || mode === "workloadidentity" || mode === "msi" ? CLIENT_FLAGS : [])];
    for (const user of doc.users ?? []) {
        const exec = user.user?.exec;
        if (!exec || !exec.command?.endsWith("kubelogin")) continue;
        const args: string[] = [];
        const given = exec.args ?? [];
        for (let i = 0; i < given.length; i++) {
            const arg = given[i]!;
            const name = arg.split("=")[0]!;
            if (dropped.includes(name)) {
                if (!arg.includes("=")) i++; // and its value
                continue;
            }
            args.push(arg);
        }
        exec.args = [...args, "--login", mode];
    }
    return stringify(doc);
}

export class AksCluster extends pulumi.ComponentResource {
    readonly resourceGroupName: pulumi.Output<string>;
    readonly clusterName: pulumi.Output<string>;
    /** Azure resource id: the provider's stable cluster identity. */
    readonly clusterId: pulumi.Output<string>;
    readonly oidcIssuerUrl: pulumi.Output<string>;
    /** User kubeconfig (exec format, needs kubelogin); a secret. */
    readonly kubeconfig: pulumi.Output<string>;
    /** Resolves once the user pool exists, so workloads have nodes to run on. */
    readonly userPool: containerservice.AgentPool;
    /** The stack's virtual network: the node subnet, the MySQL subnet, room to grow. */
    readonly network: AzureNetwork;
    /** Who may use the cluster: the deployer's and `cluster.aks.access` role assignments. */
    readonly access: AksAccess;
    /** The role assignments every Kubernetes call of the stack must wait for. */
    readonly kubernetesAccess: pulumi.Resource[];

    constructor(name: string, args: AksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:aks:AksCluster", name, {}, opts);
        const names = resolveAksNames(args);
        const { config } = args;

        const group = new resources.ResourceGroup(
            `${name}-rg`,
            { resourceGroupName: names.resourceGroupName, location: config.location, tags: config.tags },
            { parent: this },
        );
        const identity = new managedidentity.UserAssignedIdentity(
            `${name}-identity`,
            { resourceGroupName: group.name, location: config.location, resourceName: `${names.clusterName}-control-plane`, tags: config.tags },
            { parent: this },
        );
        this.network = new AzureNetwork(
            `${name}-network`,
            { config: args.network, cluster: config, stack: args.stack, resourceGroupName: group.name, location: config.location, tags: config.tags },
            { parent: this },
        );
        const nodeSubnetId = this.network.nodeSubnet.id;
        // Before the cluster exists: AKS checks the control plane's rights on the subnet at creation.
        const subnetAccess = new authorization.RoleAssignment(
            `${name}-identity-network-contributor`,
            {
                principalId: identity.principalId,
                principalType: "ServicePrincipal",
                roleDefinitionId: nodeSubnetId.apply((id) => roleDefinitionIdFor(id, NETWORK_CONTRIBUTOR_ROLE)),
                scope: nodeSubnetId,
            },
            { parent: this },
        );
        const cluster = new containerservice.ManagedCluster(
            `${name}-cluster`,
            {
                resourceGroupName: group.name,
                resourceName: names.clusterName,
                identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
                ...buildManagedClusterSpec(config, names.clusterName, nodeSubnetId),
            },
            // The inline system pool is fixed at creation; node counts move with the autoscaler.
            { parent: this, dependsOn: [subnetAccess], ignoreChanges: ["agentPoolProfiles[0].count", "kubernetesVersion"] },
        );
        this.userPool = new containerservice.AgentPool(
            `${name}-user-pool`,
            { resourceGroupName: group.name, resourceName: cluster.name, ...buildUserPoolSpec(config, nodeSubnetId) },
            { parent: this, ignoreChanges: ["count", "orchestratorVersion"] },
        );

        this.access = new AksAccess(
            `${name}-access`,
            {
                plan: resolveClusterAccess(config, args.deployerPrincipalType ?? deployerPrincipalType(config.deployer.principalType, {}), names.clusterName),
                clusterId: cluster.id,
                resourceGroupId: group.id,
            },
            { parent: this },
        );
        this.kubernetesAccess = this.access.assignments;

        const credentials = containerservice.listManagedClusterUserCredentialsOutput(
            { resourceGroupName: group.name, resourceName: cluster.name, format: "exec" },
            { parent: this },
        );
        this.kubeconfig = pulumi.secret(
            credentials.kubeconfigs.apply((configs) => {
                const value = configs?.[0]?.value;
                if (!value) throw new Error(`AKS returned no user kubeconfig for ${names.clusterName}`);
                return withKubeloginMode(Buffer.from(value, "base64").toString("utf8"), config.kubeloginMode);
            }),
        );
        this.resourceGroupName = group.name;
        this.clusterName = cluster.name;
        this.clusterId = cluster.id;
        this.oidcIssuerUrl = cluster.oidcIssuerProfile.apply((profile) => profile?.issuerURL ?? "");
        this.registerOutputs({ clusterName: this.clusterName, clusterId: this.clusterId, oidcIssuerUrl: this.oidcIssuerUrl });
    }
}
