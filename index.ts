/**
 * agent-platform: wiring only. Stack config -> cluster target -> namespace -> components.
 * Config is validated as a whole before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { AgentRuntime } from "./components/agent-runtime";
import { ClusterTarget } from "./components/cluster";
import { loadStackConfig } from "./components/config";
import { PlatformNamespace } from "./components/namespace";

const config = loadStackConfig();

const cluster = new ClusterTarget("cluster", { config: config.cluster, stack: pulumi.getStack() });
const providers = { providers: [cluster.provider] };

const platformNamespace = new PlatformNamespace("platform", config.namespace, providers);

const agentRuntime = config.agentRuntime.enabled
    ? new AgentRuntime("agent-runtime", { config: config.agentRuntime, images: config.images, namespace: platformNamespace.name }, providers)
    : undefined;

export const namespace = platformNamespace.name;
export const clusterName = cluster.aks?.clusterName;
export const resourceGroupName = cluster.aks?.resourceGroupName;
/** For `pulumi stack output --show-secrets kubeconfig > kubeconfig` (AKS; needs kubelogin). */
export const kubeconfig = cluster.aks?.kubeconfig;
export const agentRuntimeUrl = agentRuntime?.url;
