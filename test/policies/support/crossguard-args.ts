/**
 * Builds CrossGuard's ResourceValidationArgs the way the policy server does (typed by
 * @pulumi/policy, props behind the SDK's unknown-checking proxy) and collects what a
 * policy reports.
 */
import type { PolicyResourceOptions, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";

/** What notApplicable throws here; the real server throws its own private error type. */
export class NotApplicable extends Error {
    constructor(readonly reason: string | undefined) {
        super(`not applicable: ${reason}`);
    }
}

const options: PolicyResourceOptions = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
};

/** The SDK decides isType by the class's static __pulumiType; so does this. */
function pulumiTypeOf(resourceClass: unknown): string | undefined {
    return (resourceClass as { __pulumiType?: string }).__pulumiType;
}

export function resourceArgs(type: string, props: Record<string, unknown>, name = "demo-resource"): ResourceValidationArgs {
    const proxied = unknownCheckingProxy(props) as Record<string, any>;
    return {
        type,
        props: proxied,
        urn: `urn:pulumi:dev::agent-platform::${type}::${name}`,
        name,
        opts: options,
        stackTags: new Map(),
        isType: (resourceClass) => pulumiTypeOf(resourceClass) === type,
        asType: ((resourceClass: unknown) => (pulumiTypeOf(resourceClass) === type ? proxied : undefined)) as ResourceValidationArgs["asType"],
        getConfig: <T extends object>() => ({}) as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
}

export interface ValidationResult {
    readonly violations: string[];
    readonly notApplicable: string | undefined;
}

/** Runs every validation of a policy like the server does, collecting reportViolation calls. */
export async function runValidation(policy: ResourceValidationPolicy, args: ResourceValidationArgs): Promise<ValidationResult> {
    const violations: string[] = [];
    let notApplicable: string | undefined;
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource!];
    for (const validate of validations) {
        try {
            await validate(args, (message) => violations.push(message));
        } catch (error) {
            if (!(error instanceof NotApplicable)) {
                throw error;
            }
            notApplicable = error.reason ?? "";
        }
    }
    return { violations, notApplicable };
}
