/**
 * The agent backend's config rules that need other blocks: the chart's requirement checks
 * (the database and its password, unless the stack's Azure MySQL provides them), the private
 * image's registry, `{domain}` URLs, Key Vault mode. Run by the stack schema, so `pulumi up`
 * reports them with every other config error, and by the component for args built in code.
 */
import { AgentBackendConfig, BACKEND_SECRET_VALUES } from "./schema";
import { DOMAIN_PLACEHOLDER } from "../ingress/schema";
import { SecretsConfig, secretsConfigProblems } from "../secrets";

/** What the rest of the stack provides, for the rules that span blocks. */
export interface StackFacts {
    /** The stack creates a MySQL server whose connection fills unset `database` fields (`azure.mysql.enabled`). */
    stackDatabase: boolean;
    /** `images.registry`. */
    imagesRegistry?: string;
    /** `platform.domain`. */
    platformDomain?: string;
    /** The stack has its own Key Vault (`azure.keyVault.enabled`), which fills `secrets.external`. */
    stackKeyVault?: boolean;
}

export interface BlockProblem {
    /** Relative to the `agentBackend` block. */
    path: (string | number)[];
    message: string;
}

/** True when the repository names a registry host itself (`cr.seqera.io/...`). */
function hasRegistryHost(repository: string): boolean {
    const first = repository.split("/")[0]!;
    return repository.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
}

/**
 * The chart's requirement checks, and the other rules that need facts from other blocks.
 * Run by the stack schema (so `pulumi up` reports them with every other config error) and
 * by the component.
 */
export function agentBackendStackProblems(block: AgentBackendConfig, facts: StackFacts): BlockProblem[] {
    if (!block.enabled) return [];
    const problems: BlockProblem[] = [];
    const orStack = "(or let the stack create Azure MySQL: `azure.mysql.enabled`)";
    if (!facts.stackDatabase) {
        if (block.database.host === undefined) problems.push({ path: ["database", "host"], message: `is required: the MySQL host name ${orStack}` });
        if (block.database.name === undefined) problems.push({ path: ["database", "name"], message: `is required: the MySQL database name ${orStack}` });
        if (block.database.username === undefined) problems.push({ path: ["database", "username"], message: `is required: the MySQL user name ${orStack}` });
        // The password, as required: the fragment's own rules name the ways to set it.
        const required = BACKEND_SECRET_VALUES.map((v) => (v.id === "databasePassword" ? { ...v, required: true } : v));
        for (const p of secretsConfigProblems(required, block.secrets as SecretsConfig)) {
            if (p.path[0] === "databasePassword") problems.push({ path: ["secrets", ...p.path], message: p.message });
        }
    }
    const image = block.image;
    if (image.registry === undefined && facts.imagesRegistry === undefined && !hasRegistryHost(image.repository)) {
        problems.push({
            path: ["image", "registry"],
            message: "is required: the backend image is private (allowed: `cr.seqera.io` or the registry you vendored it to, here or in `images.registry`)",
        });
    }
    const external = block.secrets.mode === "external" ? (block.secrets.external ?? {}) : undefined;
    if (external && (external.vaultUrl === undefined || external.clientId === undefined) && !facts.stackKeyVault) {
        problems.push({
            path: ["secrets", "external"],
            message: "mode `external` needs a vault (allowed: `external.vaultUrl` and `external.clientId`, or the stack's own `azure.keyVault.enabled`)",
        });
    }
    if (facts.platformDomain === undefined) {
        for (const key of ["platformApiUrl", "mcpUrl"] as const) {
            if (block[key].includes(DOMAIN_PLACEHOLDER)) {
                problems.push({ path: [key], message: `'${block[key]}' needs the platform domain for ${DOMAIN_PLACEHOLDER} (allowed: set \`platform.domain\`, or a URL without ${DOMAIN_PLACEHOLDER})` });
            }
        }
    }
    return problems;
}
