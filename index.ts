/**
 * agent-platform: wiring only. Stack config -> cluster target -> add-ons, namespace, Azure
 * services -> components -> outputs. Config is validated as a whole before any resource is
 * registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { ClusterAddons } from "./components/addons";
import { AgentRuntime, externalSecretsServiceAccount } from "./components/agent-runtime";
import { AzureKeyVault } from "./components/azure-keyvault";
import { AzureMysql } from "./components/azure-mysql";
import type { AzurePlacement } from "./components/azure-placement";
import { ClusterTarget } from "./components/cluster";
import { loadStackConfig } from "./components/config";
import { PlatformNamespace } from "./components/namespace";
import { RegistryCredentials, sharedPullSecrets } from "./components/registry-credentials";

const config = loadStackConfig();
const stack = pulumi.getStack();

const cluster = new ClusterTarget("cluster", { config: config.cluster, stack });
const providers = { providers: [cluster.provider] };

const addonsEnabled = Object.values(config.addons).some((addon) => addon.enabled);
const addons = addonsEnabled ? new ClusterAddons("addons", { config: config.addons }, providers) : undefined;

const platformNamespace = new PlatformNamespace("platform", config.namespace, providers);

// Azure services need the AKS target; the config layer has already enforced that.
const aks = cluster.aks;
const azurePlacement: AzurePlacement | undefined = aks &&
    config.cluster.aks && { stack, resourceGroupName: aks.resourceGroupName, location: config.cluster.aks.location, tags: config.cluster.aks.tags };
const mysql = azurePlacement && config.azure.mysql.enabled ? new AzureMysql("mysql", { config: config.azure.mysql, ...azurePlacement }) : undefined;
// Every service whose secrets come from Key Vault gets its ServiceAccount federated.
const keyVaultReaders = [config.agentRuntime.enabled ? externalSecretsServiceAccount(config.agentRuntime) : undefined].filter((sa): sa is string => sa !== undefined);
const keyVault =
    aks && azurePlacement && config.azure.keyVault.enabled
        ? new AzureKeyVault("keyvault", {
              config: config.azure.keyVault,
              ...azurePlacement,
              oidcIssuerUrl: aks.oidcIssuerUrl,
              namespace: platformNamespace.name,
              readerServiceAccounts: keyVaultReaders,
          })
        : undefined;

if (config.images.credentials.length > 0) {
    new RegistryCredentials("registry-credentials", { images: config.images, namespace: platformNamespace.name }, providers);
}

/** What every service shares: where it runs and what the stack provides. */
const serviceContext = {
    images: { ...config.images, pullSecrets: sharedPullSecrets(config.images) },
    namespace: platformNamespace.name,
    networkPolicy: config.networkPolicy,
    platformDomain: config.platform.domain,
    keyVault: keyVault && { vaultUrl: keyVault.vaultUrl, clientId: keyVault.readerClientId, tenantId: keyVault.tenantId },
    crdsReady: addons?.crdsReady,
};

const agentRuntime = config.agentRuntime.enabled ? new AgentRuntime("agent-runtime", { config: config.agentRuntime, ...serviceContext }, providers) : undefined;

export const namespace = platformNamespace.name;
export const clusterName = aks?.clusterName;
export const resourceGroupName = aks?.resourceGroupName;
/** For `pulumi stack output --show-secrets kubeconfig > kubeconfig` (AKS; needs kubelogin). */
export const kubeconfig = aks?.kubeconfig;
export const addonCharts = addons ? addons.crdsReady.length : undefined;
export const mysqlHost = mysql?.connection.host;
export const mysqlDatabase = mysql?.connection.database;
export const keyVaultUrl = keyVault?.vaultUrl;
export const keyVaultReaderClientId = keyVault?.readerClientId;
export const agentRuntimeUrl = agentRuntime?.url;
export const agentRuntimeExternalUrls = agentRuntime?.externalUrls;
