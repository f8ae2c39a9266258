/**
 * The schema of the whole stack configuration: every block (blocks.ts) with the cross-block
 * rules (rules.ts) laid over it, each reported at its key path like any other config error.
 */
import { stackBlocks } from "./blocks";
import { stackProblems } from "./rules";

export type { ParsedBlocks, StackConfig } from "./blocks";

export const stackConfigSchema = stackBlocks.superRefine((config, ctx) => {
    // Zod runs this even when a block failed: the rules only look at what parsed.
    for (const problem of stackProblems(config)) ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
});
