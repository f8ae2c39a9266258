/** Loads the GitHub workflows as plain data for the workflow tests. */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export const ROOT = path.resolve(__dirname, "../..");
export const WORKFLOW_DIR = path.join(ROOT, ".github", "workflows");

/** ci.yml's step that lists the stacks for the render; preview.yml's that builds the matrix. */
export const LIST_STACKS = 'echo "STACKS=$(npm run -s stacks | xargs)" >> "$GITHUB_ENV"';
export const LIST_MATRIX = 'echo "stacks=$(npm run -s stacks -- --json)" >> "$GITHUB_OUTPUT"';

export interface Step {
    id?: string;
    name?: string;
    if?: string;
    uses?: string;
    run?: string;
    with?: Record<string, string | number | boolean>;
    env?: Record<string, string>;
    "continue-on-error"?: boolean | string;
}

export interface Job {
    name?: string;
    if?: string;
    "runs-on"?: string;
    "timeout-minutes"?: number;
    permissions?: Record<string, string> | string;
    environment?: string | { name: string; url?: string };
    concurrency?: { group: string; "cancel-in-progress"?: boolean | string };
    strategy?: { "fail-fast"?: boolean; matrix?: Record<string, unknown> };
    needs?: string | string[];
    outputs?: Record<string, string>;
    env?: Record<string, string>;
    steps: Step[];
}

export interface Workflow {
    file: string;
    text: string;
    name: string;
    on: Record<string, unknown>;
    permissions?: Record<string, string> | string;
    concurrency?: { group: string; "cancel-in-progress"?: boolean | string };
    env?: Record<string, string>;
    jobs: Record<string, Job>;
}

export function workflowFiles(): string[] {
    return fs
        .readdirSync(WORKFLOW_DIR)
        .filter((file) => /\.ya?ml$/.test(file))
        .sort();
}

export function loadWorkflow(file: string): Workflow {
    const text = fs.readFileSync(path.join(WORKFLOW_DIR, file), "utf8");
    // `yaml` refuses duplicate keys, which GitHub would silently collapse.
    const data = parse(text, { uniqueKeys: true }) as Omit<Workflow, "file" | "text">;
    return { file, text, ...data };
}

export function allSteps(workflow: Workflow): Array<{ job: string; step: Step }> {
    return Object.entries(workflow.jobs).flatMap(([job, spec]) => spec.steps.map((step) => ({ job, step })));
}

/** The action a step uses, without its ref: `pulumi/actions`. */
export function actionOf(step: Step): string | undefined {
    return step.uses?.split("@")[0]?.toLowerCase();
}

export function stepsUsing(job: Job, action: string): Step[] {
    return job.steps.filter((step) => actionOf(step) === action);
}

export function onlyStepUsing(job: Job, action: string): Step {
    const steps = stepsUsing(job, action);
    if (steps.length !== 1) throw new Error(`expected one ${action} step, found ${steps.length}`);
    return steps[0]!;
}

/** A `with:` value with `${{ env.X }}` resolved from the job's and the workflow's env. */
export function resolveEnv(value: unknown, job: Job, workflow: Workflow): string {
    return String(value).replace(/\$\{\{\s*env\.(\w+)\s*\}\}/g, (whole, name: string) => job.env?.[name] ?? workflow.env?.[name] ?? whole);
}

/** The stacks this project has: one Pulumi.<stack>.yaml each. */
export function projectStacks(): string[] {
    return fs
        .readdirSync(ROOT)
        .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

/** The write permissions a job ends up with (its own block, else the workflow's). */
export function writePermissions(job: Job, workflow: Workflow): string[] {
    const permissions = job.permissions ?? workflow.permissions;
    if (permissions === undefined) return ["(default token permissions)"];
    if (typeof permissions === "string") return permissions === "read-all" ? [] : [permissions];
    return Object.entries(permissions)
        .filter(([, level]) => level === "write")
        .map(([scope]) => scope)
        .sort();
}
