/**
 * Azure test fixtures: the stack's explicit azure-native provider for components under mocks,
 * and questions about what the engine was asked to create with it.
 */
import { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import type * as k8s from "@pulumi/kubernetes";
import type { RecordedResource, Recording } from "../../tools/render/recorder";
import { Recorded, recordComponents } from "../helpers/record";

export const AZURE_PROVIDER_NAME = "test-azure";

/** Runs `program` with an explicit azure-native provider, as the wiring passes it (`opts.providers`). */
export async function recordWithAzure(
    program: (azure: { providers: AzureProvider[] }, k8sProvider: k8s.Provider) => unknown,
    stack = "test",
): Promise<Recorded> {
    return recordComponents((k8sProvider) => {
        const provider = new AzureProvider(AZURE_PROVIDER_NAME, { location: "westeurope" });
        return program({ providers: [provider] }, k8sProvider);
    }, stack);
}

/** The provider reference every azure-native resource and invoke must carry. */
export function azureProviderRef(recording: Recording): string {
    const provider = recording.resources.find((r) => r.type === "pulumi:providers:azure-native");
    if (!provider) throw new Error("no azure-native provider was registered");
    return provider.urn;
}

export const azureResources = (recording: Recording): RecordedResource[] => recording.resources.filter((r) => r.custom && r.type.startsWith("azure-native:"));

/** Resources and invokes of azure-native that do not use the given provider: what the engine would refuse. */
export function withoutAzureProvider(recording: Recording): string[] {
    const ref = azureProviderRef(recording);
    const uses = (provider: string | undefined) => provider !== undefined && provider.split("::").slice(0, -1).join("::") === ref;
    return [
        ...azureResources(recording)
            .filter((r) => !uses(r.provider))
            .map((r) => `resource ${r.type} ${r.name}`),
        ...recording.calls.filter((c) => c.token.startsWith("azure-native:") && !uses(c.provider)).map((c) => `invoke ${c.token}`),
    ];
}

export const byType = (recording: Recording, type: string): RecordedResource[] => recording.resources.filter((r) => r.type === type);

export function one(recording: Recording, type: string, name?: string): RecordedResource {
    const matches = byType(recording, type).filter((r) => name === undefined || r.name === name);
    if (matches.length !== 1) throw new Error(`expected one ${type}${name ? ` '${name}'` : ""}, found ${matches.length}`);
    return matches[0]!;
}
