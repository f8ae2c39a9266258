/**
 * One offline render: stack files -> the real index.ts under mocks -> objects and plan.
 * Shared by the `npm run render` CLI, the benchmark and the tests.
 */
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { KubernetesObject, kubernetesObjects, RenderedObject } from "./manifests";
import { buildPlan, Plan } from "./output";
import { record, Recording } from "./recorder";
import { loadStackFiles } from "./stack-files";

export interface StackRender {
    plan: Plan;
    objects: RenderedObject[];
    recording: Recording;
}

/** Kubernetes resources that were sent without an explicit provider would use the default one. */
function defaultProviderUsers(recording: Recording): string[] {
    return recording.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.provider).map((r) => r.urn);
}

/** Renders `stack`; `configFile` replaces Pulumi.<stack>.yaml (to try a variant). */
export async function renderStack(projectDir: string, stack: string, configFile?: string): Promise<StackRender> {
    const files = loadStackFiles(projectDir, stack, configFile);
    pulumi.runtime.setAllConfig(files.config, files.secretKeys);
    const program = path.join(projectDir, "index.ts");
    const recording = await record(() => require(program), { project: files.project, stack });
    const strays = defaultProviderUsers(recording);
    if (strays.length > 0) {
        // Pulumi.yaml disables the default Kubernetes provider; `pulumi up` would fail on these.
        throw new Error(`resources without an explicit Kubernetes provider: ${strays.join(", ")}`);
    }
    return { plan: buildPlan(files.project, stack, recording), objects: kubernetesObjects(recording.resources), recording };
}

export function objectsOf(render: StackRender): KubernetesObject[] {
    return render.objects.map((r) => r.object);
}
