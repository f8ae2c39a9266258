/**
 * What `kubelogin get-token` ends up doing, from its arguments (the kubeconfig's exec args) and
 * its environment: a model of Azure/kubelogin pkg/internal/token/options.go (`UpdateFromEnv`:
 * environment variables override the flags unless `--disable-environment-override` is given;
 * AAD_LOGIN_METHOD overrides `--login`; in workloadidentity mode AZURE_CLIENT_ID overrides
 * `--client-id`) and provider.go (workloadidentity inside GitHub Actions, with
 * ACTIONS_ID_TOKEN_REQUEST_TOKEN and _URL set, uses the GitHub Actions credential, which requests
 * a fresh GitHub OIDC token for each Azure token; elsewhere it reads AZURE_FEDERATED_TOKEN_FILE).
 * Read at Azure/kubelogin v0.2.19; the GitHub Actions credential exists since v0.2.0.
 */

export interface KubeloginRun {
    login: string;
    clientId?: string;
    tenantId?: string;
    credential: string;
}

function flag(args: readonly string[], ...names: string[]): string | undefined {
    let value: string | undefined;
    args.forEach((arg, i) => {
        for (const name of names) {
            if (arg === name) value = args[i + 1];
            else if (arg.startsWith(`${name}=`)) value = arg.slice(name.length + 1);
        }
    });
    return value;
}

export function kubeloginRun(args: readonly string[], env: Readonly<Record<string, string | undefined>>): KubeloginRun {
    let login = flag(args, "--login", "-l") ?? "devicecode";
    let clientId = flag(args, "--client-id");
    let tenantId = flag(args, "--tenant-id", "-t");
    if (!args.includes("--disable-environment-override")) {
        if (args.includes("--use-azurerm-env-vars")) {
            clientId = env["ARM_CLIENT_ID"] ?? clientId;
            tenantId = env["ARM_TENANT_ID"] ?? tenantId;
        } else {
            clientId = env["AAD_SERVICE_PRINCIPAL_CLIENT_ID"] ?? clientId;
            clientId = env["AZURE_CLIENT_ID"] ?? clientId;
            tenantId = env["AZURE_TENANT_ID"] ?? tenantId;
        }
        login = env["AAD_LOGIN_METHOD"] ?? login;
        if (login === "workloadidentity") clientId = env["AZURE_CLIENT_ID"] ?? clientId;
    }
    const inGitHubActions = Boolean(env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]) && Boolean(env["ACTIONS_ID_TOKEN_REQUEST_URL"]);
    const credential =
        login === "workloadidentity"
            ? inGitHubActions
                ? "GithubActionsCredential"
                : "WorkloadIdentityCredential (AZURE_FEDERATED_TOKEN_FILE)"
            : login === "azurecli"
              ? "AzureCLICredential"
              : login;
    return { login, clientId, tenantId, credential };
}
