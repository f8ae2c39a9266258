/**
 * Helm values that bring the add-on charts' own workloads as close to the policy pack as each
 * chart allows (docs/policies.md, "The add-on namespaces"). Each key below is a key of the
 * chart's values.yaml at the version `addons.<name>.version` pins by default; what a chart has
 * no key for (probes the templates do not render) is why its namespace is exempt from the
 * hygiene policies in policies/config/all-mandatory.json.
 *
 * Pod Security is not relaxed anywhere: the add-on namespaces carry the `restricted` Pod
 * Security labels, and the hardening the charts already default to is restated so that a chart
 * upgrade cannot loosen it unnoticed. Resources are starting points for a small cluster: CPU is
 * requested but not limited (no throttling), memory is limited.
 */

type Values = Record<string, unknown>;

const podSecurityContext = { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };
const containerSecurityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true };

function resources(cpu: string, memory: string, memoryLimit: string): Values {
    return { requests: { cpu, memory }, limits: { memory: memoryLimit } };
}

/**
 * cert-manager chart v1.17.2 (deploy/charts/cert-manager/values.yaml in cert-manager/cert-manager
 * at tag v1.17.2). Four workloads: the controller (top-level keys), `webhook`, `cainjector` and
 * the `startupapicheck` Job (a post-install hook, which Pulumi creates like any other object).
 * - `resources`, `webhook.resources`, `cainjector.resources`, `startupapicheck.resources`:
 *   empty by default (values.yaml "Resources to provide to ...").
 * - `automountServiceAccountToken` (pod level; rendered only when the key is set: templates/
 *   deployment.yaml `hasKey .Values "automountServiceAccountToken"`, the same per component):
 *   true, explicitly, for all four, because every one talks to the API server: the controller
 *   reconciles Certificates, Orders and Secrets; the cainjector patches webhook configurations,
 *   APIServices and CRDs; the webhook keeps its serving CA in a Secret
 *   (`--dynamic-serving-ca-secret-name`, templates/webhook-deployment.yaml); startupapicheck
 *   (`check api`) creates a dry-run Certificate.
 * - `securityContext` / `containerSecurityContext` (and the same under each component): the
 *   chart's defaults, restated.
 * - `livenessProbe.enabled`: the controller's /livez probe, on by default, restated. The
 *   controller has no readinessProbe and the cainjector no probe at all in this version's
 *   templates, and no value adds one: `health-probes` cannot pass here.
 */
export function certManagerValues(enableGatewayApi: boolean): Values {
    const component = (requests: Values) => ({
        resources: requests,
        automountServiceAccountToken: true,
        securityContext: podSecurityContext,
        containerSecurityContext,
    });
    return {
        crds: { enabled: true },
        // `config.enableGatewayAPI` turns on the gateway-shim and the gatewayHTTPRoute solver
        // (cert-manager 1.15+; the chart's `config` is a ControllerConfiguration:
        // cert-manager.io/docs/usage/gateway).
        ...(enableGatewayApi
            ? { config: { apiVersion: "controller.config.cert-manager.io/v1alpha1", kind: "ControllerConfiguration", enableGatewayAPI: true } }
            : {}),
        ...component(resources("10m", "64Mi", "512Mi")),
        livenessProbe: { enabled: true },
        webhook: component(resources("10m", "32Mi", "128Mi")),
        cainjector: component(resources("10m", "64Mi", "512Mi")),
        startupapicheck: component(resources("10m", "32Mi", "64Mi")),
    };
}

/**
 * external-secrets chart 0.17.0 (deploy/charts/external-secrets/values.yaml in
 * external-secrets/external-secrets at tag helm-chart-0.17.0). Three workloads: the controller
 * (top-level keys), `webhook` and `certController`.
 * - `resources`, `webhook.resources`, `certController.resources`: empty by default.
 * - `podSecurityContext`: the chart renders it only when it holds a key besides `enabled`
 *   (templates/deployment.yaml: `if and (.enabled) (gt (keys . | len) 1)`), so by default the
 *   pods have none; runAsNonRoot and seccomp RuntimeDefault are set at pod level here. The
 *   container-level `securityContext` defaults (non-root UID 1000, read-only root, no
 *   escalation, capabilities dropped, seccomp RuntimeDefault) stay as they are.
 * - `serviceAccount.automount` (and under `webhook`, `certController`): rendered as the pod's
 *   `automountServiceAccountToken`; true, explicitly, for all three: the controller reads
 *   SecretStores and writes Secrets, the cert-controller writes the webhook's CA into its Secret
 *   and the webhook and CRD configurations, and the webhook starts a controller-runtime manager
 *   with an in-cluster client (cmd/controller/webhook.go, `ctrl.NewManager(ctrl.GetConfigOrDie(), ...)`).
 * - Probes: the controller has none, the webhook and the cert-controller only a readinessProbe,
 *   and no value adds one: `health-probes` cannot pass here.
 */
export function externalSecretsValues(): Values {
    const component = (requests: Values) => ({
        resources: requests,
        podSecurityContext: { enabled: true, ...podSecurityContext },
        serviceAccount: { automount: true },
    });
    return {
        installCRDs: true,
        ...component(resources("10m", "64Mi", "256Mi")),
        webhook: component(resources("10m", "32Mi", "128Mi")),
        certController: component(resources("10m", "32Mi", "128Mi")),
    };
}

/**
 * prometheus-operator-crds chart: CRDs only, no workload (its values.yaml only switches CRDs on
 * and off; every one is on by default), so there is nothing to harden.
 */
export function prometheusOperatorCrdsValues(): Values {
    return {};
}
