/** Reproducible deployments: an image reference that cannot move under you. */
import { show } from "./values";
import { containerFinding, type Finding, type Workload } from "./workload";

export type ImagePin = "digest" | "tag" | "latest" | "untagged" | "missing";

/**
 * How an image reference is pinned. The tag is what follows the last ":" after the last
 * "/", so a registry port ("host:5000/app") is not mistaken for a tag.
 */
export function imagePinOf(image: unknown): ImagePin {
    if (typeof image !== "string" || image.trim() === "") {
        return "missing";
    }
    if (image.includes("@")) {
        return "digest";
    }
    const lastSegment = image.slice(image.lastIndexOf("/") + 1);
    const colon = lastSegment.lastIndexOf(":");
    if (colon < 0) {
        return "untagged";
    }
    return lastSegment.slice(colon + 1) === "latest" ? "latest" : "tag";
}

const problems: Record<Exclude<ImagePin, "digest" | "tag">, string> = {
    missing: "is unset; name an image with a version tag or, better, a digest",
    untagged: "has no tag, which means latest; pin a version tag or, better, a digest (@sha256:...)",
    latest: "uses the latest tag; pin a version tag or, better, a digest (@sha256:...)",
};

export function checkPinnedImage(workload: Workload): Finding[] {
    const findings: Finding[] = [];
    for (const container of workload.containers) {
        const image = container.spec["image"];
        const pin = imagePinOf(image);
        if (pin !== "digest" && pin !== "tag") {
            findings.push(containerFinding(container, "image", pin === "missing" ? problems.missing : `${show(image)} ${problems[pin]}`));
        }
    }
    return findings;
}
