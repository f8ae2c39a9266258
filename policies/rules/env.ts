/** Credentials belong in Secrets, not in literal env values in a manifest. */
import { arrayAt, objectAt, stringAt } from "./values";
import { containerFinding, type Finding, type Workload } from "./workload";

const credentialWords = ["KEY", "SECRET", "TOKEN", "PASSWORD", "PASSWD"];
/** A last word that says the value points at a credential rather than holding one. */
const referenceWords: ReadonlySet<string> = new Set(["FILE", "PATH", "DIR", "NAME", "URL", "URI", "ID"]);

/**
 * A name looks like a credential when one of its words (split on "_", "-", "." and
 * camelCase) ends with a credential word: API_KEY, DB_PASSWORD, GITHUB_TOKEN,
 * clientSecret; but not API_KEY_FILE or SECRET_NAME, which only point at one.
 */
export function looksLikeCredentialName(name: string): boolean {
    const words = name
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .toUpperCase()
        .split(/[^A-Z0-9]+/)
        .filter((word) => word !== "");
    if (words.length > 1 && referenceWords.has(words.at(-1) ?? "")) {
        return false;
    }
    return words.some((word) => credentialWords.some((credential) => word.endsWith(credential)));
}

export function checkNoCredentialsInEnvLiterals(workload: Workload): Finding[] {
    const findings: Finding[] = [];
    for (const container of workload.containers) {
        arrayAt(container.spec["env"]).forEach((entry, index) => {
            const variable = objectAt(entry);
            const name = stringAt(variable?.["name"]);
            const value = variable?.["value"];
            // An empty literal carries no secret; valueFrom is the fix, not a finding.
            if (name !== undefined && value !== undefined && value !== null && value !== "" && looksLikeCredentialName(name)) {
                findings.push(
                    containerFinding(container, `env[${index}].value`, `sets ${name} to a literal value; move it to a Secret and use valueFrom.secretKeyRef`),
                );
            }
        });
    }
    return findings;
}
