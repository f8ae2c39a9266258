/**
 * agent-platform: wiring only. Stack config -> cluster target -> namespace -> components.
 * Config is validated as a whole before any resource is registered.
 */
import { AgentRuntime } from "./components/agent-runtime";
import { ClusterTarget } from "./components/cluster";
import { loadStackConfig } from "./components/config";
import { PlatformNamespace } from "./components/namespace";

const config = loadStackConfig();

const cluster = new ClusterTarget("cluster", config.cluster);
const providers = { providers: [cluster.provider] };

const platformNamespace = new PlatformNamespace("platform", config.namespace, providers);

const agentRuntime = config.agentRuntime.enabled
    ? new AgentRuntime("agent-runtime", { config: config.agentRuntime, images: config.images, namespace: platformNamespace.name }, providers)
    : undefined;

export const namespace = platformNamespace.name;
export const agentRuntimeUrl = agentRuntime?.url;
