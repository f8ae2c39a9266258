/**
 * A configuration problem: where (a key path) and what is wrong. Every rule returns these, from
 * a block's value rules to the config layer's cross-block rules; the config layer reports them
 * as `agent-platform:<key path>: <message>`, a component given args built in code throws them as
 * `<key path>: <message>` lines. Each rule says what its paths are relative to.
 */

export type KeyPath = (string | number)[];

export interface ConfigProblem {
    path: KeyPath;
    message: string;
}

/** A key path as the stack file and `pulumi config set --path` spell it: `block.list[0].field`. */
export function keyPath(path: readonly PropertyKey[]): string {
    return path.reduce<string>((at, part) => (typeof part === "number" ? `${at}[${part}]` : at === "" ? String(part) : `${at}.${String(part)}`), "");
}

/** The same problems with `prefix` put before their paths (a block's rules, seen from the stack's root). */
export function under(prefix: KeyPath, problems: readonly ConfigProblem[]): ConfigProblem[] {
    return problems.map((problem) => ({ path: [...prefix, ...problem.path], message: problem.message }));
}

/** Throws one Error listing every problem, one `<key path>: <message>` line each; returns when there are none. */
export function throwProblems(problems: readonly ConfigProblem[]): void {
    if (problems.length > 0) throw new Error(problems.map((problem) => `${keyPath(problem.path)}: ${problem.message}`).join("\n"));
}
