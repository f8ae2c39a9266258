/**
 * Tier-2 helper: runs component code under the SDK's mocks with the same recorder the offline
 * render uses, and answers questions about what the engine was asked to create.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { kubernetesObjects, KubernetesObject } from "../../tools/render/manifests";
import { record, Recording } from "../../tools/render/recorder";

export interface Recorded {
    recording: Recording;
    objects: KubernetesObject[];
    /** The one object of `kind` (and `name`, when several), or a failing assertion. */
    object(kind: string, name?: string): KubernetesObject;
}

/**
 * What a test program returns becomes the stack outputs: a plain object as it is, without its
 * undefined values; a component or resource (tests often return the one they build) none, so
 * the SDK never warns "Undefined value (...) will not show as a stack output" about its fields.
 */
function stackOutputsOf(returned: unknown): unknown {
    if (returned === null || typeof returned !== "object" || pulumi.Resource.isInstance(returned)) return undefined;
    if (Array.isArray(returned)) return returned;
    return Object.fromEntries(Object.entries(returned).filter(([, value]) => value !== undefined));
}

export async function recordComponents(program: (provider: k8s.Provider) => unknown, stack = "test"): Promise<Recorded> {
    const recording = await record(async () => stackOutputsOf(await program(new k8s.Provider("test-k8s", { kubeconfig: "test" }))), {
        project: "agent-platform",
        stack,
    });
    const objects = kubernetesObjects(recording.resources).map((r) => r.object);
    return {
        recording,
        objects,
        object(kind, name) {
            const matches = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
            if (matches.length !== 1) throw new Error(`expected one ${kind}${name ? ` '${name}'` : ""}, found ${matches.length}`);
            return matches[0]!;
        },
    };
}
