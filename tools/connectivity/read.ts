/**
 * Reads manifests for the connectivity CLI with policy:check's file walking and YAML/JSON
 * parsing (tools/policy-check). The step that turns documents into objects is its own here:
 * cluster dumps (`kubectl get --raw /api/v1/pods`, netpol-analyzer's inputs) are typed
 * lists such as PodList whose items carry no apiVersion/kind, which the API defines as the
 * list's item type; policy:check's reader rejects those items.
 */
import { readFileSync } from "node:fs";
import { isPlainObject, type PlainObject } from "../../policies/rules/values";
import { collectManifestFiles, type ManifestFile } from "../policy-check/files";
import { InputError, parseJsonDocuments, parseYamlDocuments } from "../policy-check/yaml";

export interface SourcedObject {
    readonly object: PlainObject;
    readonly file: string;
}

export interface ReadResult {
    readonly objects: SourcedObject[];
    /** One line per unusable input (named with its file and, for YAML, line); the rest was still read. */
    readonly errors: string[];
    /** Files found in a directory that hold no Kubernetes object (a values.yaml, a package.json). */
    readonly skipped: string[];
    files: number;
}

export const stdinName = "<stdin>";

function isKubernetesObject(value: unknown): value is PlainObject {
    return isPlainObject(value) && typeof value["apiVersion"] === "string" && typeof value["kind"] === "string";
}

/**
 * Objects of a document stream; `kind: List` and typed lists (PodList) are unwrapped, a typed
 * list's items defaulting to its apiVersion and item kind. Returns where invalid documents are.
 */
function flatten(documents: readonly unknown[], into: PlainObject[], invalid: string[], label: string, itemType?: { apiVersion: string; kind: string }): void {
    documents.forEach((document, index) => {
        const where = `${label}${index + 1}`;
        if (document === null || document === undefined) return;
        let value = document;
        if (itemType !== undefined && isPlainObject(value) && value["kind"] === undefined) {
            value = { apiVersion: itemType.apiVersion, kind: itemType.kind, ...value };
        }
        if (isPlainObject(value) && typeof value["kind"] === "string" && value["kind"].endsWith("List") && Array.isArray(value["items"])) {
            const kind = value["kind"].slice(0, -"List".length);
            const typed = kind !== "" && typeof value["apiVersion"] === "string" ? { apiVersion: value["apiVersion"], kind } : undefined;
            flatten(value["items"], into, invalid, `${where}, item `, typed);
        } else if (isKubernetesObject(value)) {
            into.push(value);
        } else {
            invalid.push(where);
        }
    });
}

function readText(file: ManifestFile, readStdin: () => string): string {
    if (file.path === stdinName) return readStdin();
    try {
        return readFileSync(file.path, "utf8");
    } catch (error) {
        throw new InputError(`cannot read ${file.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
}

function readOne(file: ManifestFile, readStdin: () => string, result: ReadResult): void {
    const text = readText(file, readStdin);
    const documents = file.path.toLowerCase().endsWith(".json") ? parseJsonDocuments(text, file.path) : parseYamlDocuments(text, file.path);
    const objects: PlainObject[] = [];
    const invalid: string[] = [];
    flatten(documents, objects, invalid, "document ");
    if (invalid.length > 0) {
        if (!file.explicit && objects.length === 0) {
            result.skipped.push(`${file.path}: skipped, not a Kubernetes manifest`);
            return;
        }
        throw new InputError(`${file.path}: ${invalid[0]} is not a Kubernetes object (it needs apiVersion and kind)`);
    }
    for (const object of objects) result.objects.push({ object, file: file.path });
}

/** Every path in turn ("-" is standard input); a bad file or path is recorded and the rest still read. */
export function readManifests(paths: readonly string[], readStdin: () => string): ReadResult {
    const result: ReadResult = { objects: [], errors: [], skipped: [], files: 0 };
    const record = (error: unknown): void => {
        if (!(error instanceof InputError)) throw error;
        result.errors.push(error.message.replace(/\s*\n\s*/g, " ").trim());
    };
    for (const path of paths) {
        let files: ManifestFile[];
        try {
            files = path === "-" ? [{ path: stdinName, explicit: true }] : collectManifestFiles([path]);
            if (files.length === 0) throw new InputError(`no *.yaml, *.yml or *.json files under ${path}`);
        } catch (error) {
            record(error);
            continue;
        }
        for (const file of files) {
            result.files++;
            try {
                readOne(file, readStdin, result);
            } catch (error) {
                record(error);
            }
        }
    }
    return result;
}
