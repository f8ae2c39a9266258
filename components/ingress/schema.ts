/**
 * The config fragment of the ingress building block, embedded under each service's block
 * (e.g. `agentRuntime.ingress`). One switch picks the API: a `networking.k8s.io/v1` Ingress
 * for an ingress controller (nginx, Traefik, AKS application routing), or a Gateway API
 * HTTPRoute attached to an existing Gateway. Hosts, paths and stream timeouts are shared.
 */
import { z } from "zod";

/** The placeholder a hostname may contain; replaced by the platform domain. */
export const DOMAIN_PLACEHOLDER = "{domain}";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const IPV4 = /^\d+(\.\d+){3}$/;

/**
 * A hostname both APIs accept: a lowercase DNS name, optionally with a leading `*.` wildcard
 * label; never an IP address (neither Ingress rules nor HTTPRoute hostnames allow one).
 */
export function isHostname(host: string): boolean {
    const name = host.startsWith("*.") ? host.slice(2) : host;
    return host.length <= 253 && !IPV4.test(name) && name.split(".").every((label) => DNS_LABEL.test(label));
}

/** A hostname that may contain `{domain}`: valid once the placeholder is replaced by any domain. */
export function isHostTemplate(template: string): boolean {
    const withoutPlaceholder = template.split(DOMAIN_PLACEHOLDER).join("");
    return !/[{}]/.test(withoutPlaceholder) && isHostname(template.split(DOMAIN_PLACEHOLDER).join("example.com"));
}

const hostTemplate = (description: string) =>
    z
        .string()
        .refine(isHostTemplate, "must be a DNS name (lowercase, optional leading `*.`), optionally with `{domain}` for the platform domain, e.g. `ai.{domain}`")
        .meta({ description, allowed: "a DNS name such as ai.example.com or *.example.com, or a template such as ai.{domain}" });

const dnsLabel = (description: string) =>
    z.string().regex(DNS_LABEL, "must be a DNS-1123 label").meta({ description, allowed: "lowercase letters, digits and '-', at most 63 characters" });

const dnsSubdomain = (description: string) =>
    z
        .string()
        .refine((s) => s.length <= 253 && s.split(".").every((label) => DNS_LABEL.test(label)), "must be a DNS-1123 subdomain")
        .meta({ description, allowed: "lowercase letters, digits, '-' and '.', at most 253 characters" });

const pathType = z
    .enum(["Prefix", "Exact", "ImplementationSpecific"])
    .meta({ description: "How the path matches: `Prefix` (by path segment), `Exact`, or `ImplementationSpecific` (up to the controller; Ingress only)." });

const backendSchema = z
    .strictObject({
        serviceName: dnsLabel("Name of the Service in the same namespace."),
        port: z.number().int().min(1).max(65535).meta({ description: "Service port number (Gateway API backends take numbers only)." }),
    })
    .meta({ description: "A Service and port to route to." });

const pathSchema = z
    .strictObject({
        path: z
            .string()
            .regex(/^\/\S*$/, "must start with '/' and contain no spaces")
            .max(1024)
            .meta({ description: "URL path, starting with `/`." }),
        pathType: pathType.optional(),
        backend: backendSchema.optional().meta({ description: "Where this path goes; default the service's own Service and port." }),
    })
    .meta({ description: "One routed path." });

const paths = (description: string) => z.array(pathSchema).min(1, "needs at least one path").meta({ description });

const timeoutSeconds = (description: string) => z.number().int().min(1, "must be a positive number of seconds").max(359_999).meta({ description });

const k8sLabelKey = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const k8sLabelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/** Known ingress classes and the controller whose annotations they take. */
export const KNOWN_CLASSES: Record<string, "nginx" | "traefik" | "azureAppRouting"> = {
    nginx: "nginx",
    traefik: "traefik",
    "webapprouting.kubernetes.azure.com": "azureAppRouting",
};

export const ingressConfigSchema = z
    .strictObject({
        enabled: z.boolean().default(false).meta({ description: "Expose the service outside the cluster." }),
        mode: z.enum(["ingress", "gatewayApi"]).default("ingress").meta({
            description: "`ingress`: a networking.k8s.io/v1 Ingress for an ingress controller; `gatewayApi`: a Gateway API HTTPRoute attached to `gateway`.",
        }),
        className: z.string().min(1).default("nginx").meta({
            description: "IngressClass name (`ingressClassName`), e.g. nginx, traefik, webapprouting.kubernetes.azure.com (AKS application routing).",
        }),
        controller: z
            .enum(["nginx", "traefik", "azureAppRouting", "other"])
            .meta({
                description:
                    "Which controller serves `className`, choosing the streaming annotations; derived for nginx, traefik and webapprouting.kubernetes.azure.com. `other` adds none.",
            })
            .optional(),
        host: hostTemplate("Main hostname; `{domain}` is replaced by the platform domain (e.g. `ai.{domain}`).").optional(),
        paths: paths("Paths routed on the main host (and on extra hosts without their own).").default([{ path: "/" }]),
        pathType: pathType.default("Prefix"),
        extraHosts: z
            .array(
                z
                    .strictObject({
                        host: hostTemplate("Hostname; `{domain}` is replaced by the platform domain (e.g. `mcp.{domain}`)."),
                        paths: paths("Paths on this host; default the main host's `paths`.").optional(),
                    })
                    .meta({ description: "An additional host." }),
            )
            .default([])
            .meta({ description: "Additional hosts routed to the service." }),
        defaultBackend: backendSchema.optional().meta({ description: "Backend for requests matching no rule (Ingress only; keep one per cluster)." }),
        tls: z
            .strictObject({
                enabled: z.boolean().default(false).meta({
                    description:
                        "Serve every host over HTTPS. Ingress: the controller terminates TLS with `secretName`. Gateway API: the Gateway's listeners terminate it (on the stack's Gateway always, with certificates from `addons.certManager.acme`).",
                }),
                secretName: dnsSubdomain("Secret holding the certificate; default `<name>-tls` (Ingress only).").optional(),
                issuer: z
                    .strictObject({
                        kind: z.enum(["ClusterIssuer", "Issuer"]).default("ClusterIssuer").meta({ description: "cert-manager issuer kind." }),
                        name: dnsSubdomain("cert-manager issuer name, e.g. letsencrypt-prod."),
                    })
                    .optional()
                    .meta({
                        description:
                            "cert-manager issuer that creates the certificate in `secretName`; unset when the Secret is provided otherwise (Ingress only).",
                    }),
            })
            .prefault({})
            .meta({ description: "TLS for the service's hosts." }),
        streaming: z
            .strictObject({
                enabled: z
                    .boolean()
                    .default(true)
                    .meta({ description: "Make long streamed responses (server-sent events) work: response and request buffering off, long timeouts." }),
                readTimeoutSeconds: timeoutSeconds(
                    "How long the proxy waits between two reads from the service (nginx `proxy-read-timeout`); bounds a silent stream.",
                ).default(3600),
                sendTimeoutSeconds: timeoutSeconds("How long the proxy waits between two writes to the service (nginx `proxy-send-timeout`).").default(3600),
                connectTimeoutSeconds: timeoutSeconds("Timeout for connecting to the service (nginx `proxy-connect-timeout`).").default(10),
            })
            .prefault({})
            .meta({ description: "Streaming responses (SSE). On Gateway API the longer of the two timeouts becomes the route's request timeout." }),
        maxBodySize: z
            .string()
            .regex(/^[0-9]+[kKmMgG]?$/, "must be a size such as 10m, 512k or 0 (no limit)")
            .default("10m")
            .meta({
                description: "Largest request body the proxy accepts (nginx `proxy-body-size`; `0` = no limit).",
                allowed: "a size such as 512k, 10m, 1g, or 0",
            }),
        annotations: z
            .record(z.string().regex(k8sLabelKey, "must be an annotation key"), z.string().meta({ description: "Annotation value." }))
            .default({})
            .meta({ description: "Extra annotations on the Ingress or HTTPRoute; they override the generated ones." }),
        labels: z
            .record(
                z.string().regex(k8sLabelKey, "must be a label key"),
                z.string().regex(k8sLabelValue, "must be a label value").meta({ description: "Label value." }),
            )
            .default({})
            .meta({ description: "Extra labels on the Ingress or HTTPRoute." }),
        traefik: z
            .strictObject({
                entrypoints: z
                    .array(z.string().min(1).meta({ description: "Entrypoint name." }))
                    .default([])
                    .meta({ description: "Traefik entrypoints of the router, e.g. websecure." }),
                middlewares: z
                    .array(
                        z
                            .string()
                            .regex(/^[A-Za-z0-9_.-]+@[a-z]+$/, "must be a middleware reference such as auth-authelia@kubernetescrd")
                            .meta({ description: "Middleware reference." }),
                    )
                    .default([])
                    .meta({ description: "Traefik middlewares, as `<namespace>-<name>@kubernetescrd` references (e.g. forward auth)." }),
            })
            .prefault({})
            .meta({ description: "Traefik router settings (controller traefik only)." }),
        gateway: z
            .strictObject({
                name: dnsSubdomain("Name of the Gateway."),
                namespace: dnsLabel("Namespace of the Gateway; default the route's. Its listener must allow routes from the service's namespace.").optional(),
                sectionName: dnsSubdomain("Listener of the Gateway to attach to; default all listeners that accept the route.").optional(),
            })
            .optional()
            .meta({
                description: "The Gateway an HTTPRoute attaches to (mode gatewayApi); default the stack's own Gateway when `addons.traefik` installs one.",
            }),
    })
    .superRefine((ingress, ctx) => {
        const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
        if (ingress.enabled && ingress.host === undefined) issue(["host"], "`host` is required when `enabled` is true (e.g. `ai.{domain}`)");
        const hosts = [ingress.host, ...ingress.extraHosts.map((h) => h.host)];
        ingress.extraHosts.forEach((extra, i) => {
            if (hosts.indexOf(extra.host) !== i + 1) issue(["extraHosts", i, "host"], `host '${extra.host}' is listed twice`);
        });
        const pathLists: [(string | number)[], z.output<typeof pathSchema>[]][] = [
            [["paths"], ingress.paths],
            ...ingress.extraHosts.map((h, i): [(string | number)[], z.output<typeof pathSchema>[]] => [["extraHosts", i, "paths"], h.paths ?? []]),
        ];
        for (const [at, list] of pathLists) {
            const keys = list.map((p) => `${p.pathType ?? ingress.pathType} ${p.path}`);
            keys.forEach((key, j) => {
                if (keys.indexOf(key) !== j) issue([...at, j, "path"], `path '${list[j]!.path}' (${key.split(" ")[0]}) is listed twice for the same host`);
            });
        }
        if (ingress.tls.issuer && !ingress.tls.enabled)
            issue(["tls", "issuer"], "`tls.issuer` needs `tls.enabled: true` (cert-manager only issues certificates for TLS hosts)");
        if (ingress.mode === "ingress" && ingress.controller === undefined && !Object.hasOwn(KNOWN_CLASSES, ingress.className)) {
            issue(
                ["controller"],
                `\`className\` '${ingress.className}' is not one of ${Object.keys(KNOWN_CLASSES).join(", ")}: set \`controller\` to nginx, traefik, azureAppRouting or other`,
            );
        }
        if (ingress.mode === "gatewayApi") {
            // Whether a Gateway is named is a stack-level rule (components/config/gateway.ts):
            // without one, routes attach to the Gateway the stack installs.
            if (ingress.tls.secretName)
                issue(
                    ["tls", "secretName"],
                    "is for `mode: ingress`: with `mode: gatewayApi` the Gateway's listener holds the certificate (allowed: remove it)",
                );
            if (ingress.tls.issuer)
                issue(
                    ["tls", "issuer"],
                    "is for `mode: ingress`: with `mode: gatewayApi` the Gateway's certificates come from its own issuer (the stack's: `addons.certManager.acme`) (allowed: remove it)",
                );
            if (ingress.defaultBackend)
                issue(["defaultBackend"], "`defaultBackend` exists only for `mode: ingress`; an HTTPRoute routes only its own hostnames");
            const allPaths = pathLists.flatMap(([at, list]) => list.map((p, j): [(string | number)[], z.output<typeof pathSchema>] => [[...at, j], p]));
            if (ingress.pathType === "ImplementationSpecific") issue(["pathType"], "Gateway API has no `ImplementationSpecific` match: use Prefix or Exact");
            for (const [path, p] of allPaths) {
                if (p.pathType === "ImplementationSpecific")
                    issue([...path, "pathType"], "Gateway API has no `ImplementationSpecific` match: use Prefix or Exact");
                if (/\/\/|\/\.\.?(\/|$)|#|%2f/i.test(p.path)) issue([...path, "path"], "Gateway API paths must not contain '//', '/./', '/../', '#' or '%2f'");
            }
        }
    })
    .meta({ description: "Ingress: how the service is reached from outside the cluster (Ingress or Gateway API HTTPRoute)." });

export type IngressConfigInput = z.input<typeof ingressConfigSchema>;
export type IngressConfig = z.output<typeof ingressConfigSchema>;
export type IngressPathConfig = z.output<typeof pathSchema>;
export type IngressBackendConfig = z.output<typeof backendSchema>;
