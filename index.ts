/**
 * agent-platform: wiring only. Stack config -> cluster target -> add-ons, namespace, Azure
 * services -> components -> outputs. Config is validated as a whole before any resource is
 * registered.
 */
import { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import * as pulumi from "@pulumi/pulumi";
import { ClusterAddons } from "./components/addons";
import { AgentBackend } from "./components/agent-backend";
import { AgentRuntime } from "./components/agent-runtime";
import { AiAgentsPlatform } from "./components/ai-agents";
import { deployerPrincipalType } from "./components/azure/access";
import { AzureKeyVault } from "./components/azure/keyvault";
import { resolveVaultSecrets } from "./components/azure/keyvault/secrets";
import { AzureMysql } from "./components/azure/mysql";
import type { AzurePlacement } from "./components/azure/placement";
import { azureProviderArgs } from "./components/azure/provider";
import { ClusterTarget } from "./components/cluster";
import {
    BACKEND_PASSWORD_REMOTE_KEY,
    generatedVaultSecrets,
    loadStackConfig,
    resolveStackGateway,
    stackKeyVaultReaders,
    wireStackIngress,
} from "./components/config";
import { StackGateway } from "./components/gateway";
import { HyphaWorker } from "./components/hypha-worker";
import { RegistryCredentials } from "./components/images";
import { PlatformNamespace } from "./components/namespace";
import { withClusterCni } from "./components/network-policy";

// What the stack installs (the Gateway, its controller) is filled into the services' config.
const config = wireStackIngress(loadStackConfig());
const gatewayPlan = resolveStackGateway(config);
const stack = pulumi.getStack();

// The default azure-native provider is disabled: an AKS stack's Azure resources and invokes all use this one.
const azureProvider = config.cluster.aks && config.cluster.target === "aks" ? new AzureProvider("azure", azureProviderArgs(config.cluster.aks)) : undefined;
const azureProviders = azureProvider && { providers: [azureProvider] };
// The deployer's role assignment must state its principal type: `auto` reads how the provider signs in.
const deployerType = config.cluster.aks && deployerPrincipalType(config.cluster.aks.deployer.principalType, process.env);
const cluster = new ClusterTarget(
    "cluster",
    { config: config.cluster, stack, network: config.azure.network, deployerPrincipalType: deployerType },
    azureProviders,
);
const providers = { providers: [cluster.provider] };

const platformNamespace = new PlatformNamespace("platform", config.namespace, providers);

const addonsEnabled = Object.values(config.addons).some((addon) => addon.enabled);
// Reloader watches the platform namespace (its Role lives there, so the namespace comes first).
const platformNamespaceContext = { name: config.namespace.name, ready: [platformNamespace] };
const addons = addonsEnabled
    ? new ClusterAddons("addons", { config: config.addons, gateway: gatewayPlan, platformNamespace: platformNamespaceContext }, providers)
    : undefined;
// The shared Gateway, its redirect route and ACME issuer: custom resources of the add-ons' CRDs.
const gateway = gatewayPlan && addons ? new StackGateway("gateway", { plan: gatewayPlan, crdsReady: addons.crdsReady }, providers) : undefined;

// Azure services need the AKS target; the config layer has already enforced that.
const aks = cluster.aks;
const azurePlacement: AzurePlacement | undefined = aks &&
    config.cluster.aks && { stack, resourceGroupName: aks.resourceGroupName, location: config.cluster.aks.location, tags: config.cluster.aks.tags };
const mysql =
    aks && azurePlacement && config.azure.mysql.enabled
        ? new AzureMysql(
              "mysql",
              { config: config.azure.mysql, ...azurePlacement, network: { vnetId: aks.network.vnetId, mysqlSubnet: aks.network.mysqlSubnet } },
              azureProviders,
          )
        : undefined;
// Every secrets block in mode `external` (and registry logins from the vault) gets its ServiceAccount federated.
const keyVaultReaders = stackKeyVaultReaders(config);
// What the stack writes into its vault: the seeded secrets, and what it generates (the MySQL password for the backend).
const generatedSecrets = mysql ? generatedVaultSecrets(config).map((secret) => ({ ...secret, value: mysql.connection.password })) : [];
const keyVault =
    aks && azurePlacement && config.azure.keyVault.enabled
        ? new AzureKeyVault(
              "keyvault",
              {
                  config: config.azure.keyVault,
                  ...azurePlacement,
                  oidcIssuerUrl: aks.oidcIssuerUrl,
                  readers: keyVaultReaders,
                  secrets: resolveVaultSecrets(config.azure.keyVault.secrets, generatedSecrets),
                  deployerPrincipalType: deployerType,
              },
              azureProviders,
          )
        : undefined;
const keyVaultSettings = keyVault && { vaultUrl: keyVault.vaultUrl, clientId: keyVault.readerClientId, tenantId: keyVault.tenantId };

// Pull Secrets for private registries: from secret config, or synced from the vault.
const registryCredentials =
    config.images.credentials.length > 0
        ? new RegistryCredentials(
              "registry-credentials",
              {
                  images: config.images,
                  namespace: platformNamespace.name,
                  keyVault: keyVaultSettings,
                  crdsReady: addons?.crdsReady,
                  externalReady: keyVault?.ready,
              },
              providers,
          )
        : undefined;

/** What every service shares: where it runs and what the stack provides. */
const serviceContext = {
    images: { ...config.images, registryPullSecrets: registryCredentials?.pullSecrets ?? [] },
    namespace: platformNamespace.name,
    // With the network plugin of the target filled in (aks: cilium).
    networkPolicy: withClusterCni(config.networkPolicy, config.cluster.target),
    platformDomain: config.platform.domain,
    keyVault: keyVaultSettings,
    // ExternalSecrets are created after what the stack writes into the vault and the reader's access.
    keyVaultReady: keyVault?.ready,
    crdsReady: addons?.crdsReady,
};

const agentRuntime = config.agentRuntime.enabled ? new AgentRuntime("agent-runtime", { config: config.agentRuntime, ...serviceContext }, providers) : undefined;

// The backend's database comes from the stack's Azure MySQL when there is one; its password from the vault when the stack wrote it there.
const backendDatabase = mysql && {
    ...mysql.connection,
    passwordRemoteKey: generatedSecrets.find((secret) => secret.name === BACKEND_PASSWORD_REMOTE_KEY)?.name,
};
const agentBackend = config.agentBackend.enabled
    ? new AgentBackend("agent-backend", { config: config.agentBackend, ...serviceContext, database: backendDatabase }, providers)
    : undefined;
const hyphaWorker = config.hyphaWorker.enabled ? new HyphaWorker("hypha-worker", { config: config.hyphaWorker, ...serviceContext }, providers) : undefined;
const aiAgents = config.aiAgents.enabled ? new AiAgentsPlatform("ai-agents", { config: config.aiAgents, ...serviceContext }, providers) : undefined;

/** Stack outputs: what an operator needs next. Only the ones this stack has (Pulumi warns on undefined). */
const outputs: Record<string, unknown> = {
    namespace: platformNamespace.name,
    clusterName: aks?.clusterName,
    resourceGroupName: aks?.resourceGroupName,
    // For peering (docs/azure-network.md).
    virtualNetworkId: aks?.network.vnetId,
    // `pulumi stack output --show-secrets kubeconfig > kubeconfig` (AKS; needs kubelogin).
    kubeconfig: aks?.kubeconfig,
    addonCharts: addons?.charts.length,
    // Point every host's DNS record (CNAME) at this name; see docs/ingress.md.
    gatewayAddress: gateway?.address,
    gatewayHosts: gateway?.hosts,
    mysqlHost: mysql?.connection.host,
    mysqlDatabase: mysql?.connection.database,
    keyVaultName: keyVault?.vaultName,
    keyVaultUrl: keyVault?.vaultUrl,
    keyVaultReaderClientId: keyVault?.readerClientId,
    agentRuntimeUrl: agentRuntime?.url,
    agentRuntimeExternalUrls: agentRuntime?.externalUrls,
    agentBackendUrl: agentBackend?.url,
    agentBackendExternalUrls: agentBackend?.externalUrls,
    hyphaWorkerJobsNamespace: hyphaWorker?.jobsNamespace,
    aiAgentsApiUrl: aiAgents?.apiUrl,
    aiAgentsExternalUrl: aiAgents?.externalUrl,
};
export = Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined));
