/**
 * Manifest parsing. js-yaml, not `yaml`: at 10,000 documents it parses about twelve
 * times faster (tools/bench-policy.ts measures both), and parsing dominates the check.
 */
import yaml from "js-yaml";

// kubectl reads manifests with a YAML 1.1 parser, where yes/no/on/off/y/n are booleans:
// `privileged: yes` is a privileged container. js-yaml follows YAML 1.2 and would read
// a string that no rule treats as true, so the boolean type is replaced by YAML 1.1's.
const trueWords = ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"];
const falseWords = ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"];
const trueSet: ReadonlySet<string> = new Set(trueWords);
const boolSet: ReadonlySet<string> = new Set([...trueWords, ...falseWords]);

const yaml11Bool = new yaml.Type("tag:yaml.org,2002:bool", {
    kind: "scalar",
    resolve: (data: unknown) => typeof data === "string" && boolSet.has(data),
    construct: (data: string) => trueSet.has(data),
    predicate: (data: unknown) => typeof data === "boolean",
    represent: { lowercase: (data: unknown) => (data ? "true" : "false") },
    defaultStyle: "lowercase",
});

/** js-yaml's default schema with YAML 1.1 booleans (a type with the same tag replaces the built-in one). */
export const kubernetesYamlSchema = yaml.DEFAULT_SCHEMA.extend({ implicit: [yaml11Bool] });

/** An input that cannot be read or parsed; the message is one line and names the file. */
export class InputError extends Error {}

function isYamlException(error: unknown): error is yaml.YAMLException {
    return error instanceof yaml.YAMLException;
}

/** Every document of a YAML stream (empty documents come back as null or undefined). */
export function parseYamlDocuments(text: string, file: string): unknown[] {
    try {
        return yaml.loadAll(text, null, { schema: kubernetesYamlSchema, filename: file });
    } catch (error) {
        if (isYamlException(error)) {
            const where = error.mark ? ` at line ${error.mark.line + 1}, column ${error.mark.column + 1}` : "";
            throw new InputError(`${file}: invalid YAML${where}: ${error.reason}`);
        }
        throw error;
    }
}

/** A JSON file holds one document (a top-level array is read as a sequence of documents). */
export function parseJsonDocuments(text: string, file: string): unknown[] {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (error) {
        throw new InputError(`${file}: invalid JSON: ${(error as Error).message}`);
    }
    return Array.isArray(value) ? value : [value];
}
