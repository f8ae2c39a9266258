/**
 * What Azure would report back for resources and functions the program uses, so an offline
 * render can wire outputs (ids, client ids, the OIDC issuer, host names) into dependent
 * resources. Values are deterministic stand-ins under a zero subscription and `.invalid`
 * hosts: they can never be mistaken for, or reach, real Azure resources.
 */
import { createHash } from "node:crypto";
import { stringify } from "yaml";

const SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
const TENANT = "00000000-0000-0000-0000-00000000aaaa";

function fakeUuid(seed: string): string {
    const hex = createHash("sha256").update(seed).digest("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The Azure name a resource gets: its explicit name input, else the Pulumi name. Child
 * resources also carry their parent's name (`serverName`, `resourceName`), so their own
 * name inputs come first.
 */
function azureName(inputs: Record<string, unknown>, fallback: string): string {
    const ownNameFirst = [
        "databaseName",
        "firewallRuleName",
        "configurationName",
        "agentPoolName",
        "federatedIdentityCredentialResourceName",
        "roleAssignmentName",
        "subnetName",
        "virtualNetworkLinkName",
        "vaultName",
        "virtualNetworkName",
        "privateZoneName",
        "serverName",
        "resourceName",
    ];
    for (const key of ownNameFirst) {
        if (typeof inputs[key] === "string") return inputs[key] as string;
    }
    return fallback;
}

export function azureMockState(type: string, pulumiName: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const [, module, kind] = type.split(":");
    const isGroup = kind === "ResourceGroup";
    const name = isGroup ? ((inputs["resourceGroupName"] as string) ?? pulumiName) : azureName(inputs, pulumiName);
    const group = isGroup ? name : ((inputs["resourceGroupName"] as string) ?? "rg");
    const id = isGroup
        ? `/subscriptions/${SUBSCRIPTION}/resourceGroups/${name}`
        : `/subscriptions/${SUBSCRIPTION}/resourceGroups/${group}/providers/Microsoft.${module}/${kind}/${name}`;
    const state: Record<string, unknown> = { ...inputs, name, id, provisioningState: "Succeeded" };
    const groupId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${group}`;
    switch (type) {
        // Network resources carry ARM's real id shapes: other resources reference them by id
        // (a pool's vnetSubnetID, a server's delegated subnet, a role assignment's scope).
        case "azure-native:network:VirtualNetwork":
            Object.assign(state, { id: `${groupId}/providers/Microsoft.Network/virtualNetworks/${name}`, resourceGuid: fakeUuid(`vnet:${group}/${name}`) });
            break;
        case "azure-native:network:Subnet": {
            const vnet = String(inputs["virtualNetworkName"] ?? "vnet");
            Object.assign(state, {
                id: `${groupId}/providers/Microsoft.Network/virtualNetworks/${vnet}/subnets/${name}`,
                delegations: ((inputs["delegations"] as Record<string, unknown>[] | undefined) ?? []).map((d) => ({
                    ...d,
                    id: `${groupId}/providers/Microsoft.Network/virtualNetworks/${vnet}/subnets/${name}/delegations/${String(d["name"])}`,
                    actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"],
                    provisioningState: "Succeeded",
                })),
            });
            break;
        }
        case "azure-native:privatedns:PrivateZone":
            Object.assign(state, {
                id: `${groupId}/providers/Microsoft.Network/privateDnsZones/${name}`,
                numberOfVirtualNetworkLinks: 1,
                maxNumberOfRecordSets: 25000,
            });
            break;
        case "azure-native:privatedns:VirtualNetworkLink":
            Object.assign(state, {
                id: `${groupId}/providers/Microsoft.Network/privateDnsZones/${String(inputs["privateZoneName"])}/virtualNetworkLinks/${name}`,
                virtualNetworkLinkState: "Completed",
            });
            break;
        case "azure-native:authorization:RoleAssignment":
            Object.assign(state, {
                id: `${String(inputs["scope"] ?? groupId)}/providers/Microsoft.Authorization/roleAssignments/${fakeUuid(`assignment:${pulumiName}`)}`,
            });
            break;
        case "azure-native:dbformysql:Configuration":
            Object.assign(state, {
                id: `${groupId}/providers/Microsoft.DBforMySQL/flexibleServers/${String(inputs["serverName"])}/configurations/${name}`,
                isConfigPendingRestart: "False",
            });
            break;
        case "azure-native:managedidentity:UserAssignedIdentity":
            Object.assign(state, { clientId: fakeUuid(`client:${id}`), principalId: fakeUuid(`principal:${id}`), tenantId: TENANT });
            break;
        case "azure-native:containerservice:ManagedCluster":
            Object.assign(state, {
                // ARM's id shape: role assignments are scoped to it, or to `<id>/namespaces/<name>`.
                id: `${groupId}/providers/Microsoft.ContainerService/managedClusters/${name}`,
                fqdn: `${name}.rendered.invalid`,
                oidcIssuerProfile: { enabled: true, issuerURL: `https://oidc.rendered.invalid/${TENANT}/${fakeUuid(id)}/` },
            });
            break;
        case "azure-native:dbformysql:Server": {
            state["fullyQualifiedDomainName"] = `${name}.mysql.rendered.invalid`;
            // Private access reports public access Disabled whatever was sent; otherwise what was sent.
            const network = (inputs["network"] as Record<string, unknown> | undefined) ?? {};
            state["network"] = network["delegatedSubnetResourceId"] ? { ...network, publicNetworkAccess: "Disabled" } : network;
            break;
        }
        case "azure-native:keyvault:Vault":
            state["id"] = `${groupId}/providers/Microsoft.KeyVault/vaults/${name}`;
            state["properties"] = { ...((inputs["properties"] as object) ?? {}), vaultUri: `https://${name}.vault.rendered.invalid/` };
            break;
    }
    return state;
}

/**
 * A user kubeconfig in AKS's exec format, pointing nowhere. The args are the ones AKS hands out
 * for an Entra ID cluster: its server application, its public kubelogin client, device-code login.
 */
/** The Entra ID application every AKS cluster's API server accepts tokens for, and AKS's public client of it. */
export const AKS_SERVER_APP = "6dae42f8-4368-4678-94ff-3960e28e3630";
const AKS_KUBELOGIN_CLIENT = "80faf920-1908-4b52-b5ef-a8e7bedfc67a";

function renderedKubeconfig(cluster: string): string {
    return stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: cluster, cluster: { server: `https://${cluster}.rendered.invalid:443` } }],
        contexts: [{ name: cluster, context: { cluster, user: `clusterUser_${cluster}` } }],
        "current-context": cluster,
        users: [
            {
                name: `clusterUser_${cluster}`,
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "kubelogin",
                        args: [
                            "get-token",
                            "--environment",
                            "AzurePublicCloud",
                            "--server-id",
                            AKS_SERVER_APP,
                            "--client-id",
                            AKS_KUBELOGIN_CLIENT,
                            "--tenant-id",
                            TENANT,
                            "--login",
                            "devicecode",
                        ],
                    },
                },
            },
        ],
    });
}

/** Who a render "runs as": the identity `getClientConfig` reports (the deployer of the stack's role assignments). */
export const RENDERED_CLIENT = { clientId: fakeUuid("client"), objectId: fakeUuid("object"), subscriptionId: SUBSCRIPTION, tenantId: TENANT } as const;

export function azureCallResult(token: string, inputs: Record<string, unknown>): Record<string, unknown> | undefined {
    if (token === "azure-native:authorization:getClientConfig") return { ...RENDERED_CLIENT };
    if (token === "azure-native:containerservice:listManagedClusterUserCredentials") {
        const kubeconfig = renderedKubeconfig(String(inputs["resourceName"] ?? "cluster"));
        return { kubeconfigs: [{ name: "clusterUser", value: Buffer.from(kubeconfig).toString("base64") }] };
    }
    return undefined;
}
