/** Finds the manifest files named on the command line, walking directories. */
import { type Dirent, globSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
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

function isFile(path: string): boolean {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

/**
 * The manifest files under `directory`, in path order. Dependency trees and hidden directories
 * (.git) hold JSON and YAML that are not manifests and are not entered; symbolic links are
 * followed to files only, so a link cycle cannot loop the walk.
 */
function manifestsUnder(directory: string): ManifestFile[] {
    const skipped = (entry: Dirent) =>
        entry.isDirectory()
            ? entry.name === "node_modules" || entry.name.startsWith(".")
            : entry.isSymbolicLink() && !isFile(join(entry.parentPath, entry.name));
    let entries: Dirent[];
    try {
        // `**/.*` as well: a glob's `*` leaves out names that start with a dot.
        entries = globSync(["**/*", "**/.*"], { cwd: directory, withFileTypes: true, exclude: skipped });
    } catch (error) {
        throw new InputError(`cannot read directory ${directory}: ${describeFsError(error)}`);
    }
    const paths = entries.filter((entry) => !entry.isDirectory() && isManifestFileName(entry.name)).map((entry) => join(entry.parentPath, entry.name));
    // Each directory's entries by name, a subdirectory's files where its name sorts.
    const segments = (path: string) => relative(directory, path).split(sep);
    const byPath = (a: string, b: string): number => {
        const [x, y] = [segments(a), segments(b)];
        for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
        return x.length - y.length;
    };
    return [...new Set(paths)].sort(byPath).map((path) => ({ path, explicit: false }));
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
            found.push(...manifestsUnder(path));
        } else {
            found.push({ path, explicit: true });
        }
    }
    return found;
}
