/**
 * Globally unique Azure names: the rules Azure applies to a Key Vault and a MySQL Flexible
 * Server name, and the default names the stack generates from them.
 *
 * Both names are global: a vault becomes `<name>.vault.azure.net`, a server
 * `<name>.mysql.database.azure.com`, so a short name derived from the stack (`ap-prod-kv`) is
 * probably taken by someone else. A deleted vault also keeps its name for its soft-delete
 * retention (7-90 days; with purge protection it cannot be purged earlier). So the default name is
 * a prefix from the stack plus a random suffix that `@pulumi/random` generates once and keeps in
 * state: stable across updates, new after a destroy, never guessable from the stack name.
 *
 * Pure: the rules and the name arithmetic; the RandomString lives in the components.
 * Rules: https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
 * (Microsoft.KeyVault/vaults; Microsoft.DBforMySQL/flexibleServers).
 */
import { z } from "zod";

/** Length of the random suffix: 36^6, about 2.2 billion names per prefix. */
export const NAME_SUFFIX_LENGTH = 6;

/** The RandomString inputs of a suffix: lowercase letters and digits, valid in both kinds of names. */
export const NAME_SUFFIX_SPEC = { length: NAME_SUFFIX_LENGTH, lower: true, upper: false, numeric: true, special: false } as const;

export interface AzureNameRule {
    /** What the name is, for messages: "a Key Vault name". */
    what: string;
    minLength: number;
    maxLength: number;
    /** The rule in words, for `(allowed: ...)`. */
    allowed: string;
    /** Why `name` breaks the rule, or undefined when it is valid. */
    problem(name: string): string | undefined;
}

/** Key Vault: 3-24 characters, letters, digits and single hyphens, starting with a letter, ending with a letter or digit. */
export const KEY_VAULT_NAME: AzureNameRule = {
    what: "a Key Vault name",
    minLength: 3,
    maxLength: 24,
    allowed: "3 to 24 letters, digits and single hyphens, starting with a letter and ending with a letter or digit, globally unique",
    problem(name) {
        if (name.length < 3 || name.length > 24) return `is ${name.length} characters long`;
        if (!/^[A-Za-z0-9-]+$/.test(name)) return "has characters other than letters, digits and hyphens";
        if (!/^[A-Za-z]/.test(name)) return "does not start with a letter";
        if (name.endsWith("-")) return "ends with a hyphen";
        if (name.includes("--")) return "has consecutive hyphens";
        return undefined;
    },
};

/** MySQL Flexible Server: 3-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen. */
export const MYSQL_SERVER_NAME: AzureNameRule = {
    what: "a MySQL Flexible Server name",
    minLength: 3,
    maxLength: 63,
    allowed: "3 to 63 lowercase letters, digits and hyphens, not starting or ending with a hyphen, globally unique",
    problem(name) {
        if (name.length < 3 || name.length > 63) return `is ${name.length} characters long`;
        if (!/^[a-z0-9-]+$/.test(name)) return "has characters other than lowercase letters, digits and hyphens";
        if (name.startsWith("-")) return "starts with a hyphen";
        if (name.endsWith("-")) return "ends with a hyphen";
        return undefined;
    },
};

/** The message for a configured name that breaks `rule`, or undefined. */
export function azureNameProblem(rule: AzureNameRule, name: string): string | undefined {
    const problem = rule.problem(name);
    return problem && `'${name}' is not ${rule.what}: it ${problem} (allowed: ${rule.allowed})`;
}

/** A stack name as a name part: lowercase, runs of other characters as one hyphen, no hyphen at either end. */
export function nameFromStack(stack: string): string {
    return stack
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "");
}

/**
 * `<prefix>-<suffix>` within `rule.maxLength`: the prefix is cut (never the suffix), and a cut
 * that leaves a hyphen at its end drops it. Throws if the result breaks the rule, which would be
 * a bug here, not a user error.
 */
export function uniqueAzureName(rule: AzureNameRule, prefix: string, suffix: string): string {
    const room = rule.maxLength - suffix.length - 1;
    const cut = prefix
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .slice(0, room)
        .replace(/^-+|-+$/g, "");
    const name = `${cut}-${suffix}`;
    const problem = rule.problem(name);
    if (problem) throw new Error(`generated ${rule.what} '${name}' ${problem}`);
    return name;
}

/** Default vault name: `ap-<stack>-kv-<suffix>`, at most 24 characters. */
export function defaultKeyVaultName(stack: string, suffix: string): string {
    return uniqueAzureName(KEY_VAULT_NAME, `ap-${nameFromStack(stack)}-kv`, suffix);
}

/** Default server name: `agent-platform-<stack>-mysql-<suffix>`, at most 63 characters. */
export function defaultMysqlServerName(stack: string, suffix: string): string {
    return uniqueAzureName(MYSQL_SERVER_NAME, `agent-platform-${nameFromStack(stack)}-mysql`, suffix);
}

/** A configured global Azure name, checked by Azure's rule for it; the message names the rule. */
export const azureName = (rule: AzureNameRule, description: string) =>
    z
        .string()
        .superRefine((name, ctx) => {
            const problem = azureNameProblem(rule, name);
            if (problem) ctx.addIssue({ code: "custom", message: problem });
        })
        .meta({ description, allowed: rule.allowed });
