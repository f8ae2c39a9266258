/**
 * The backend's URL settings, for its derived egress (network-policy/endpoints.ts): the Seqera
 * Platform API and the MCP endpoint, `{domain}` templates included. Its database egress is not
 * here: it comes from the `database` block or the stack's MySQL (agent-backend/settings.ts).
 */
import type { ServiceEndpoint } from "../network-policy";
import type { AgentBackendConfig } from "./schema";

export function backendEndpoints(config: AgentBackendConfig): ServiceEndpoint[] {
    return (["platformApiUrl", "mcpUrl"] as const).map((key) => ({ name: key, path: ["agentBackend", key], url: config[key] }));
}
