/**
 * The config layer: the one place that reads `pulumi.Config`. It loads the stack's
 * `agent-platform:*` keys (load.ts), validates them against every block's schema assembled with
 * the cross-block rules (blocks.ts, rules.ts, schema.ts), derives what spans blocks (the ingress
 * path in gateway.ts, the stack's Key Vault in vault.ts, the services' endpoints in
 * endpoints.ts), and reads the schema for the generated docs (introspect.ts). It imports the
 * blocks; no block imports it.
 */
export type { ParsedBlocks, StackConfig } from "./blocks";
export { resolveStackGateway, routedServices, stackGatewayProblems, wireStackIngress } from "./gateway";
export { CONFIG_NAMESPACE, ConfigError, loadStackConfig, parseStackConfig } from "./load";
export { stackProblems } from "./rules";
export { stackConfigSchema } from "./schema";
export { BACKEND_PASSWORD_REMOTE_KEY, generatedVaultSecrets, stackKeyVaultReaders, stackSecretsBlocks } from "./vault";
