/**
 * The inputs each pinned action declares in its action.yml at the pinned commit (read from the
 * actions' own repositories when they were pinned). A `with:` key outside this list is a typo
 * the runner would only warn about, so the tests refuse it. Re-read the list when re-pinning.
 */
export interface ActionInputs {
    tag: string;
    inputs: readonly string[];
    /** Inputs the action cannot run without (pulumi/actions checks command and stack-name in code). */
    required: readonly string[];
}

export const PINNED_ACTIONS: Readonly<Record<string, ActionInputs>> = {
    "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1": {
        tag: "v7.0.1",
        inputs: [
            "repository",
            "ref",
            "token",
            "ssh-key",
            "ssh-known-hosts",
            "ssh-strict",
            "ssh-user",
            "persist-credentials",
            "path",
            "clean",
            "filter",
            "sparse-checkout",
            "sparse-checkout-cone-mode",
            "fetch-depth",
            "fetch-tags",
            "show-progress",
            "lfs",
            "submodules",
            "set-safe-directory",
            "github-server-url",
            "allow-unsafe-pr-checkout",
        ],
        required: [],
    },
    "actions/setup-node@820762786026740c76f36085b0efc47a31fe5020": {
        tag: "v7.0.0",
        inputs: [
            "node-version",
            "node-version-file",
            "architecture",
            "check-latest",
            "registry-url",
            "scope",
            "token",
            "cache",
            "package-manager-cache",
            "cache-dependency-path",
            "mirror",
            "mirror-token",
        ],
        required: [],
    },
    "actions/cache@27d5ce7f107fe9357f9df03efb73ab90386fccae": {
        tag: "v5.0.5",
        inputs: ["path", "key", "restore-keys", "upload-chunk-size", "enableCrossOsArchive", "fail-on-cache-miss", "lookup-only", "save-always"],
        required: ["path", "key"],
    },
    "actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f": {
        tag: "v7.0.0",
        inputs: ["name", "path", "if-no-files-found", "retention-days", "compression-level", "overwrite", "include-hidden-files", "archive"],
        required: ["path"],
    },
    "actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c": {
        tag: "v8.0.1",
        inputs: ["name", "artifact-ids", "path", "pattern", "merge-multiple", "github-token", "repository", "run-id", "skip-decompress", "digest-mismatch"],
        required: [],
    },
    "actions/github-script@ed597411d8f924073f98dfc5c65a23a2325f34cd": {
        tag: "v8.0.0",
        inputs: ["script", "github-token", "debug", "user-agent", "previews", "result-encoding", "retries", "retry-exempt-status-codes", "base-url"],
        required: ["script"],
    },
    "pulumi/actions@8e5e406f4007fca908480587cb9893c07090f58d": {
        tag: "v7.0.0",
        inputs: [
            "command",
            "stack-name",
            "pulumi-version",
            "pulumi-version-file",
            "work-dir",
            "comment-on-pr",
            "comment-on-pr-number",
            "comment-on-summary",
            "github-token",
            "cloud-url",
            "secrets-provider",
            "parallel",
            "message",
            "config-map",
            "expect-no-changes",
            "diff",
            "replace",
            "exclude",
            "exclude-dependents",
            "target",
            "target-dependents",
            "policyPacks",
            "policyPackConfigs",
            "refresh",
            "upsert",
            "remove",
            "edit-pr-comment",
            "color",
            "exclude-protected",
            "plan",
            "suppress-outputs",
            "suppress-progress",
            "always-include-summary",
            "continue-on-error",
            "log-verbosity",
            "log-flow",
            "debug",
        ],
        required: ["command", "stack-name"],
    },
    "pulumi/auth-actions@141415910c3beb54e03b48e9057c204c97b956f2": {
        tag: "v2.1.0",
        inputs: ["organization", "requested-token-type", "scope", "token-expiration", "export-environment-variables", "cloud-url"],
        required: ["organization", "requested-token-type"],
    },
    "azure/use-kubelogin@0ce7c36141aa27d4934872cf00b0120804c98a29": {
        tag: "v1.3",
        inputs: ["kubelogin-version", "skip-cache", "github-api-base-url"],
        required: [],
    },
};
