/**
 * Runs a Pulumi program under the SDK's mocks and records every request the engine would
 * receive: each resource's type, name, parent, provider and inputs (secrets redacted), every
 * provider function call, and the stack outputs. Used by `npm run render` and by the tests.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { azureCallResult, azureMockState } from "./azure-mocks";
import { decodeWire, unwrapWireSecret } from "./wire";

export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent?: string;
    /** Provider reference (`<provider urn>::<id>`), for custom resources. */
    provider?: string;
    /** A component a provider constructs (e.g. a Helm v4 Chart): it needs a provider of its package too. */
    remote: boolean;
    /** Providers by package passed to a component (`opts.providers`), as references. */
    providers: Record<string, string>;
    inputs: Record<string, unknown>;
    /** Properties the program asked the engine to keep secret in state. */
    additionalSecretOutputs: string[];
    /**
     * Key names of a Secret's `data`/`stringData`, which the SDK sends as one secret value:
     * names are not secret and a reader needs them; the values stay redacted.
     */
    secretDataKeys?: Record<string, string[]>;
    protect: boolean;
    /** Properties whose change replaces the resource instead of updating it. */
    replaceOnChanges: string[];
    dependsOn: string[];
}

export interface RecordedCall {
    token: string;
    provider?: string;
}

export interface Recording {
    resources: RecordedResource[];
    calls: RecordedCall[];
    stackOutputs: Record<string, unknown>;
}

/** Names the Kubernetes provider would generate for objects without `metadata.name`. */
export function autoName(resourceName: string, urn: string): string {
    return `${resourceName}-${createHash("sha256").update(urn).digest("hex").slice(0, 8)}`;
}

function urnOf(parent: string | undefined, type: string, name: string, project: string, stack: string): string {
    const parentType = parent ? parent.split("::")[2]!.split("$").pop() + "$" : "";
    return `urn:pulumi:${stack}::${project}::${parentType}${type}::${name}`;
}

/** The state a mocked resource reports back, so dependent resources see realistic values. */
function mockState(args: pulumi.runtime.MockResourceArgs, urn: string): Record<string, unknown> {
    if (args.type.startsWith("azure-native:")) return azureMockState(args.type, args.name, args.inputs);
    // Random values are generated at deploy time and kept in state; a render shows a stand-in,
    // a RandomString one of the length and characters it asked for (it may become part of a name).
    if (args.type === "random:index/randomString:RandomString") return { ...args.inputs, result: renderedRandomString(args.inputs, urn) };
    if (args.type.startsWith("random:")) return { ...args.inputs, result: "rendered-random-value" };
    const state: Record<string, unknown> = { ...args.inputs };
    if (args.type.startsWith("kubernetes:") && !args.type.startsWith("kubernetes:helm")) {
        const metadata = { ...((args.inputs.metadata as Record<string, unknown>) ?? {}) };
        metadata.name ??= autoName(args.name, urn);
        state.metadata = metadata;
    } else {
        state.name ??= args.name;
    }
    return state;
}

/** A deterministic stand-in for RandomString's result: `length` characters from the classes it allows. */
export function renderedRandomString(inputs: Record<string, unknown>, urn: string): string {
    const length = typeof inputs["length"] === "number" ? inputs["length"] : 16;
    const alphabet = [
        inputs["lower"] === false ? "" : "abcdefghijklmnopqrstuvwxyz",
        inputs["upper"] === false ? "" : "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        inputs["numeric"] === false ? "" : "0123456789",
        inputs["special"] === false ? "" : typeof inputs["overrideSpecial"] === "string" ? inputs["overrideSpecial"] : "!@#$%&*()-_=+[]{}<>:?",
    ].join("");
    const bytes = createHash("sha256").update(`random:${urn}`).digest();
    return Array.from({ length }, (_, i) => alphabet[bytes[i % bytes.length]! % alphabet.length]).join("");
}

function secretDataKeys(inputs: Record<string, unknown>): Record<string, string[]> {
    const keys: Record<string, string[]> = {};
    for (const field of ["data", "stringData"]) {
        const value = unwrapWireSecret(inputs[field]);
        if (value && typeof value === "object") keys[field] = Object.keys(value as object).sort();
    }
    return keys;
}

type Callback = (err: unknown, response?: unknown) => void;
interface MonitorRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProvider(): string;
    getRemote(): boolean;
    getProvidersMap(): { toObject(): [string, string][] };
    getProtect(): boolean;
    getReplaceonchangesList(): string[];
    getDependenciesList(): string[];
    getAdditionalsecretoutputsList(): string[];
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

export interface RecordOptions {
    project: string;
    stack: string;
    /** Values returned for provider function calls (invokes), by token; Azure's have defaults. */
    callResults?: (token: string, inputs: Record<string, unknown>) => Record<string, unknown> | undefined;
}

/**
 * Installs the mocks and a recorder on the mock monitor. The returned recording fills up
 * as the program registers resources.
 */
export async function startRecording(options: RecordOptions): Promise<Recording> {
    const recording: Recording = { resources: [], calls: [], stackOutputs: {} };
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                const pending = pendingUrns.get(`${args.type}::${args.name}`);
                if (args.type === "kubernetes:core/v1:Secret") {
                    const recorded = recording.resources.find((r) => r.urn === pending?.urn);
                    if (recorded) recorded.secretDataKeys = secretDataKeys(args.inputs);
                }
                const state = mockState(args, pending?.urn ?? "");
                // The engine keeps these outputs secret (e.g. RandomPassword.result); so do the mocks.
                for (const key of pending?.secretOutputs ?? []) if (key in state) state[key] = pulumi.secret(state[key]);
                const id = typeof state["id"] === "string" ? (state["id"] as string) : `${args.name}-id`;
                return { id: args.custom ? id : undefined, state };
            },
            call: (args) => {
                recording.calls.push({ token: args.token, provider: args.provider });
                return options.callResults?.(args.token, args.inputs) ?? azureCallResult(args.token, args.inputs) ?? {};
            },
        },
        options.project,
        options.stack,
        false,
    );
    const pendingUrns = new Map<string, { urn: string; secretOutputs: string[] }>();
    const monitor = pulumi.runtime.getMonitor() as unknown as Record<string, (req: unknown, cb: Callback) => unknown>;

    const registerResource = monitor.registerResource!.bind(monitor);
    monitor.registerResource = (req: unknown, callback: Callback) => {
        const r = req as MonitorRequest;
        const urn = urnOf(r.getParent() || undefined, r.getType(), r.getName(), options.project, options.stack);
        pendingUrns.set(`${r.getType()}::${r.getName()}`, { urn, secretOutputs: r.getAdditionalsecretoutputsList() });
        recording.resources.push({
            urn,
            type: r.getType(),
            name: r.getName(),
            custom: r.getCustom(),
            parent: r.getParent() || undefined,
            provider: r.getProvider() || undefined,
            remote: r.getRemote(),
            providers: Object.fromEntries(r.getProvidersMap().toObject()),
            inputs: (decodeWire(r.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>) ?? {},
            additionalSecretOutputs: r.getAdditionalsecretoutputsList(),
            protect: r.getProtect(),
            replaceOnChanges: r.getReplaceonchangesList(),
            dependsOn: r.getDependenciesList(),
        });
        return registerResource(req, callback);
    };

    const registerResourceOutputs = monitor.registerResourceOutputs!.bind(monitor);
    monitor.registerResourceOutputs = (req: unknown, callback: Callback) => {
        const r = req as { getUrn(): string; getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined };
        if (r.getUrn().split("::")[2] === "pulumi:pulumi:Stack") {
            recording.stackOutputs = decodeWire(r.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
        }
        return registerResourceOutputs(req, callback);
    };
    return recording;
}

/**
 * Runs `program` (e.g. `() => require("./index")`, or a test's component code) inside a
 * Pulumi stack under mocks, waits for every registration, and returns what was recorded.
 * Whatever the program returns becomes the stack outputs.
 */
export async function record(program: () => unknown, options: RecordOptions): Promise<Recording> {
    const recording = await startRecording(options);
    await pulumi.runtime.runInPulumiStack(async () => program());
    await pulumi.runtime.disconnect();
    return recording;
}
