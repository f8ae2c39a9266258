/**
 * Reads Pulumi.yaml and Pulumi.<stack>.yaml the way the Pulumi CLI does for a program: project
 * defaults first, stack values over them, every value as the string the engine would pass.
 * A `secure:` value cannot be decrypted offline, so it becomes a placeholder and its top-level
 * key is marked secret, as the engine marks it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { SECURE_CONFIG_PLACEHOLDER } from "./wire";

export interface StackFiles {
    project: string;
    stack: string;
    /** Engine-style config: `{"<namespace>:<key>": "<string or JSON>"}`. */
    config: Record<string, string>;
    secretKeys: string[];
}

export class StackFileError extends Error {}

/** Stacks that have a Pulumi.<stack>.yaml next to Pulumi.yaml. */
export function knownStacks(projectDir: string): string[] {
    return fs
        .readdirSync(projectDir)
        .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

function readYaml(file: string): Record<string, unknown> {
    try {
        return (parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>) ?? {};
    } catch (err) {
        throw new StackFileError(`${path.basename(file)}: not valid YAML: ${(err as Error).message.split("\n")[0]}`);
    }
}

/** Replaces `secure:` leaves by the placeholder; reports whether any was found. */
function redactSecure(value: unknown): { value: unknown; secret: boolean } {
    if (Array.isArray(value)) {
        const items = value.map(redactSecure);
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (Object.keys(record).length === 1 && typeof record["secure"] === "string") return { value: SECURE_CONFIG_PLACEHOLDER, secret: true };
        let secret = false;
        const out: Record<string, unknown> = {};
        for (const [key, child] of Object.entries(record)) {
            const redacted = redactSecure(child);
            out[key] = redacted.value;
            secret ||= redacted.secret;
        }
        return { value: out, secret };
    }
    return { value, secret: false };
}

/** The engine passes strings as they are and everything else as JSON. */
function engineString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

function fullKey(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/** Loads the config of `stack`, from Pulumi.<stack>.yaml or from `stackFile` when given. */
export function loadStackFiles(projectDir: string, stack: string, configFile?: string): StackFiles {
    const project = readYaml(path.join(projectDir, "Pulumi.yaml"));
    const projectName = String(project["name"] ?? "");
    const stackFile = configFile ?? path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (configFile !== undefined && !fs.existsSync(configFile)) throw new StackFileError(`config file ${configFile}: no such file`);
    if (!fs.existsSync(stackFile)) {
        throw new StackFileError(`unknown stack '${stack}': there is no ${path.basename(stackFile)} (known stacks: ${knownStacks(projectDir).join(", ")})`);
    }
    const config: Record<string, string> = {};
    const secretKeys = new Set<string>();

    // Project-level declarations: `default` (project keys) or `value`, or a bare value.
    for (const [key, declaration] of Object.entries((project["config"] as Record<string, unknown>) ?? {})) {
        const isDeclaration = declaration !== null && typeof declaration === "object" && !Array.isArray(declaration);
        const decl = declaration as Record<string, unknown>;
        const value = isDeclaration ? (decl["value"] ?? decl["default"]) : declaration;
        if (value !== undefined) config[fullKey(projectName, key)] = engineString(value);
    }
    const stackConfig = (readYaml(stackFile)["config"] as Record<string, unknown>) ?? {};
    for (const [key, raw] of Object.entries(stackConfig)) {
        const { value, secret } = redactSecure(raw);
        const name = fullKey(projectName, key);
        config[name] = engineString(value);
        if (secret) secretKeys.add(name);
    }
    return { project: projectName, stack, config, secretKeys: [...secretKeys].sort() };
}
