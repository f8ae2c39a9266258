/**
 * One offline render: stack files -> the real index.ts under mocks -> objects and plan.
 * Shared by the `npm run render` CLI, the benchmark and the tests.
 */
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { parseStackConfig } from "../../components/config";
import { analyzeReadiness, factsFromConfig, type Finding } from "../readiness";
import { KubernetesObject, kubernetesObjects, RenderedObject } from "./manifests";
import { buildPlan, Plan } from "./output";
import { record, Recording } from "./recorder";
import { loadStackFiles } from "./stack-files";

export interface StackRender {
    plan: Plan;
    objects: RenderedObject[];
    recording: Recording;
    /** What the engine or the cluster would reject or never make ready (tools/readiness). */
    readiness: Finding[];
}

/** `pulumi:disable-default-providers`, as the engine reads it from config. */
function disabledDefaultProviders(config: Record<string, string>): string[] {
    const raw = config["pulumi:disable-default-providers"];
    if (raw === undefined) return [];
    const value: unknown = raw.startsWith("[") ? JSON.parse(raw) : raw.split(",");
    return Array.isArray(value) ? value.map((item) => String(item).trim()) : [];
}

/** Renders `stack`; `configFile` replaces Pulumi.<stack>.yaml (to try a variant). */
export async function renderStack(projectDir: string, stack: string, configFile?: string): Promise<StackRender> {
    const files = loadStackFiles(projectDir, stack, configFile);
    pulumi.runtime.setAllConfig(files.config, files.secretKeys);
    const program = path.join(projectDir, "index.ts");
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program runs as the engine runs it: required, once per render.
    const recording = await record(() => require(program), { project: files.project, stack });
    const objects = kubernetesObjects(recording.resources);
    // The program ran, so the config is valid; parsed again here for the facts it declares.
    const facts = factsFromConfig(parseStackConfig(files.config, new Set(files.secretKeys)), disabledDefaultProviders(files.config));
    const readiness = analyzeReadiness({ recording, objects, facts });
    return { plan: buildPlan(files.project, stack, recording), objects, recording, readiness };
}

export function objectsOf(render: StackRender): KubernetesObject[] {
    return render.objects.map((r) => r.object);
}
