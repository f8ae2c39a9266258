/**
 * Rule `engine`: what the Pulumi engine refuses before any provider is asked.
 *
 * With a package in `pulumi:disable-default-providers`, the engine refuses every resource,
 * remote component and invoke of that package that has no explicit provider, with
 * "Default provider for '<package>' disabled. '<urn or token>' must use an explicit provider."
 * (pulumi/pulumi pkg/resource/deploy/source_eval.go, the resource monitor's default-provider
 * lookup; its tests in source_eval_test.go assert that wording). A resource whose provider
 * belongs to another package is refused too: a provider only serves its own package's types.
 */
import type { Recording } from "../render/recorder";
import type { Finding } from "./findings";

/** "azure-native:resources:ResourceGroup" -> "azure-native". */
export function packageOf(typeOrToken: string): string {
    return typeOrToken.split(":")[0] ?? "";
}

/** "urn:pulumi:s::p::pulumi:providers:azure-native::azure::<id>" -> "azure-native". */
export function providerPackage(reference: string): string | undefined {
    const type = reference.split("::")[2]?.split("$").pop();
    return type?.startsWith("pulumi:providers:") ? type.slice("pulumi:providers:".length) : undefined;
}

const refused = (pkg: string, what: string) => `Default provider for '${pkg}' disabled. '${what}' must use an explicit provider.`;

export function engineFindings(recording: Recording, disabledDefaultProviders: readonly string[]): Finding[] {
    const disabled = new Set(disabledDefaultProviders);
    const findings: Finding[] = [];
    const error = (object: string, message: string) => findings.push({ severity: "error", rule: "engine", object, message });
    for (const resource of recording.resources) {
        const pkg = packageOf(resource.type);
        if (pkg === "pulumi" || resource.type.startsWith("pulumi:providers:")) continue;
        if (resource.custom) {
            if (!resource.provider) {
                if (disabled.has(pkg))
                    error(
                        resource.urn,
                        `${refused(pkg, resource.urn)} Pass the stack's ${pkg} provider in the resource's options (\`provider\`, or \`providers\` of its parent component).`,
                    );
                continue;
            }
            const served = providerPackage(resource.provider);
            if (served !== undefined && served !== pkg) {
                error(resource.urn, `its provider is a '${served}' provider, which cannot manage '${resource.type}'; pass a '${pkg}' provider instead.`);
            }
        } else if (resource.remote && !resource.providers[pkg] && !resource.provider && disabled.has(pkg)) {
            error(resource.urn, `${refused(pkg, resource.type)} Pass the stack's ${pkg} provider in the component's \`providers\`.`);
        }
    }
    for (const call of recording.calls) {
        const pkg = packageOf(call.token);
        if (pkg === "pulumi" || call.provider || !disabled.has(pkg)) continue;
        error(call.token, `${refused(pkg, call.token)} Pass \`{ provider }\` (or a \`parent\` that has one) to the invoke.`);
    }
    return findings;
}
