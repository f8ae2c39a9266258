/**
 * The chart's `commonLabels`/`commonAnnotations` and `secretLabels`/`secretAnnotations` reach
 * objects the building blocks create (Secrets, NetworkPolicies, Ingresses) through one SDK
 * transformation on the component, applied to every Kubernetes object below it. The labels an
 * object already has (its identity) win over the added ones.
 */
import * as pulumi from "@pulumi/pulumi";

export interface ExtraMetadata {
    common: { labels: Record<string, string>; annotations: Record<string, string> };
    /** Only on `v1/Secret` objects. */
    secret: { labels: Record<string, string>; annotations: Record<string, string> };
}

const isEmpty = (map: Record<string, string>) => Object.keys(map).length === 0;

export function hasExtraMetadata(extra: ExtraMetadata): boolean {
    return ![extra.common.labels, extra.common.annotations, extra.secret.labels, extra.secret.annotations].every(isEmpty);
}

/** Adds the labels and annotations to the metadata of a Kubernetes object's inputs. */
export function withExtraMetadata(type: string, props: Record<string, unknown>, extra: ExtraMetadata): Record<string, unknown> | undefined {
    // Providers and Helm charts have no object metadata of their own.
    if (!type.startsWith("kubernetes:") || type.startsWith("kubernetes:helm")) return undefined;
    const secret = type === "kubernetes:core/v1:Secret";
    const labels = { ...extra.common.labels, ...(secret ? extra.secret.labels : {}) };
    const annotations = { ...extra.common.annotations, ...(secret ? extra.secret.annotations : {}) };
    if (isEmpty(labels) && isEmpty(annotations)) return undefined;
    const metadata = (props["metadata"] ?? {}) as Record<string, unknown>;
    const own = (key: string) => (metadata[key] ?? {}) as Record<string, string>;
    return {
        ...props,
        metadata: {
            ...metadata,
            labels: { ...labels, ...own("labels") },
            ...(isEmpty(annotations) && !metadata["annotations"] ? {} : { annotations: { ...annotations, ...own("annotations") } }),
        },
    };
}

/**
 * The transformation. (`transformations` run in the SDK, so the offline render shows their
 * effect; the newer engine-side `transforms` do not run under the SDK's mocks.)
 */
export function extraMetadataTransformation(extra: ExtraMetadata): pulumi.ResourceTransformation {
    return (args) => {
        const props = withExtraMetadata(args.type, args.props, extra);
        return props ? { props, opts: args.opts } : undefined;
    };
}
