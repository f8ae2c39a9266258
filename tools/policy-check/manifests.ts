/** Reads the Kubernetes objects of one manifest file: multi-document YAML, JSON, `kind: List`. */
import { readFileSync } from "node:fs";
import { isPlainObject } from "../../policies/rules/values";
import type { ManifestFile } from "./files";
import { InputError, parseJsonDocuments, parseYamlDocuments } from "./yaml";

export interface ManifestContents {
    readonly objects: unknown[];
    /** Set when a file found by walking a directory holds no Kubernetes object at all. */
    readonly skippedReason?: string;
}

function isKubernetesObject(value: unknown): boolean {
    return isPlainObject(value) && typeof value["apiVersion"] === "string" && typeof value["kind"] === "string";
}

/** `kind: List` (and typed lists such as DeploymentList) hold their objects in items. */
function isList(value: unknown): value is { items: unknown[] } {
    return isPlainObject(value) && typeof value["kind"] === "string" && value["kind"].endsWith("List") && Array.isArray(value["items"]);
}

function flatten(documents: readonly unknown[], into: unknown[], invalid: string[], label: string): void {
    documents.forEach((document, index) => {
        const where = `${label}${index + 1}`;
        if (document === null || document === undefined) {
            return; // empty document, e.g. a trailing "---"
        }
        if (isList(document)) {
            flatten(document.items, into, invalid, `${where}, item `);
        } else if (isKubernetesObject(document)) {
            into.push(document);
        } else {
            invalid.push(where);
        }
    });
}

export function readManifestFile(file: ManifestFile): ManifestContents {
    let text: string;
    try {
        text = readFileSync(file.path, "utf8");
    } catch (error) {
        throw new InputError(`cannot read ${file.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    return manifestContents(file, text);
}

/** The objects of a manifest's text (standard input, or a file already read); JSON by the file's extension. */
export function manifestContents(file: ManifestFile, text: string): ManifestContents {
    const documents = file.path.toLowerCase().endsWith(".json") ? parseJsonDocuments(text, file.path) : parseYamlDocuments(text, file.path);
    const objects: unknown[] = [];
    const invalid: string[] = [];
    flatten(documents, objects, invalid, "document ");
    if (invalid.length > 0) {
        // A file met while walking a directory that holds no manifest at all (a values.yaml,
        // a package.json) is not an error; a named file or a manifest with a stray document is.
        if (!file.explicit && objects.length === 0) {
            return { objects, skippedReason: "not a Kubernetes manifest" };
        }
        throw new InputError(`${file.path}: ${invalid[0]} is not a Kubernetes object (it needs apiVersion and kind)`);
    }
    return { objects };
}
