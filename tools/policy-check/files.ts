/** Finds the manifest files named on the command line, walking directories. */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "./yaml";

export const manifestExtensions: readonly string[] = [".yaml", ".yml", ".json"];

export interface ManifestFile {
    readonly path: string;
    /** Named on the command line (not found by walking a directory). */
    readonly explicit: boolean;
}

export function isManifestFileName(name: string): boolean {
    const lower = name.toLowerCase();
    return manifestExtensions.some((extension) => lower.endsWith(extension));
}

function describeFsError(error: unknown): string {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? "no such file or directory" : (code ?? String(error));
}

// Dependency trees and hidden directories (.git) hold JSON and YAML that are not manifests.
function isSkippedDirectory(name: string): boolean {
    return name === "node_modules" || name.startsWith(".");
}

function walk(directory: string, found: ManifestFile[]): void {
    let entries;
    try {
        entries = readdirSync(directory, { withFileTypes: true });
    } catch (error) {
        throw new InputError(`cannot read directory ${directory}: ${describeFsError(error)}`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
        const path = join(directory, entry.name);
        // Symbolic links are followed to files only, so a link cycle cannot loop the walk.
        if (entry.isDirectory()) {
            if (!isSkippedDirectory(entry.name)) {
                walk(path, found);
            }
        } else if ((entry.isFile() || (entry.isSymbolicLink() && isFile(path))) && isManifestFileName(entry.name)) {
            found.push({ path, explicit: false });
        }
    }
}

function isFile(path: string): boolean {
    try {
        return statSync(path).isFile();
    } catch {
        return false;
    }
}

/** Files named directly are taken whatever their extension; directories contribute *.yaml, *.yml, *.json. */
export function collectManifestFiles(paths: readonly string[]): ManifestFile[] {
    const found: ManifestFile[] = [];
    for (const path of paths) {
        let stats;
        try {
            stats = statSync(path);
        } catch (error) {
            throw new InputError(`cannot read ${path}: ${describeFsError(error)}`);
        }
        if (stats.isDirectory()) {
            walk(path, found);
        } else {
            found.push({ path, explicit: true });
        }
    }
    return found;
}
