/**
 * The wait-for-MySQL init container: it proves that MySQL accepts the configured user and
 * password for the configured database (`SELECT 1`), not just that a port answers, because
 * `mysqladmin ping` reports success even on "access denied". It logs every attempt and gives
 * up with a clear message after a deadline, so a wrong password fails the pod visibly instead
 * of looping forever as the chart's loop does.
 *
 * The password never reaches a command line (readable in /proc by anyone on the node) nor
 * MYSQL_PWD (deprecated by MySQL): it goes into a client option file, mode 0600, on the
 * writable /tmp, removed on exit.
 */
import type * as k8s from "@pulumi/kubernetes";
import { ContainerArgs, EnvVar, TMP_DIR } from "../pod";
import { SETTINGS_ENV } from "./settings";

export const WAIT_FOR_MYSQL = "wait-for-mysql";

/** Variables the script reads besides the ConfigMap's and the password. */
export const WAIT_ENV = {
    timeout: "WAIT_TIMEOUT_SECONDS",
    interval: "WAIT_INTERVAL_SECONDS",
    connectTimeout: "WAIT_CONNECT_TIMEOUT_SECONDS",
} as const;

const { dbHost, dbPort, dbName, dbUser } = SETTINGS_ENV;
const PASSWORD = "AGENT_BACKEND_DB_PASSWORD";

/**
 * POSIX sh (bash, dash and busybox), `mysql` (MySQL or MariaDB client), `date`, `mktemp`,
 * `sleep`. The kubelet expands `$(NAME)` in commands for every declared variable NAME, so the
 * script only uses `$(` before text that is never a variable name (tests check this).
 */
export const WAIT_FOR_MYSQL_SCRIPT = `set -u
: "\${${dbHost}:?is not set}" "\${${dbPort}:?is not set}" "\${${dbName}:?is not set}" "\${${dbUser}:?is not set}"
: "\${${PASSWORD}:?is not set}" "\${${WAIT_ENV.timeout}:?is not set}" "\${${WAIT_ENV.interval}:?is not set}" "\${${WAIT_ENV.connectTimeout}:?is not set}"
log() { printf '%s ${WAIT_FOR_MYSQL}: %s\\n' "$(date -u '+%Y-%m-%dT%H:%M:%SZ')" "$*"; }
# An option-file value in double quotes, with backslashes and double quotes escaped.
quoted() {
  rest=$1 out=
  while [ -n "$rest" ]; do
    char=\${rest%"\${rest#?}"}
    rest=\${rest#?}
    case $char in
      '\\' | '"') out="$out\\\\$char" ;;
      *) out="$out$char" ;;
    esac
  done
  printf '"%s"' "$out"
}
umask 077
options=$(mktemp /tmp/${WAIT_FOR_MYSQL}.XXXXXX) || exit 1
trap 'rm -f "$options"' EXIT
printf '[client]\\npassword=%s\\n' "$(quoted "$${PASSWORD}")" > "$options"
target="\${${dbUser}}@\${${dbHost}}:\${${dbPort}}/\${${dbName}}"
start=$(date +%s)
deadline=$((start + ${WAIT_ENV.timeout}))
attempt=1
log "waiting up to \${${WAIT_ENV.timeout}}s for MySQL to accept $target"
while :; do
  if error=$(mysql --defaults-extra-file="$options" --protocol=TCP --connect-timeout="$${WAIT_ENV.connectTimeout}" \\
      --host="$${dbHost}" --port="$${dbPort}" --user="$${dbUser}" --database="$${dbName}" \\
      --batch --skip-column-names --execute='SELECT 1' 2>&1 >/dev/null); then
    log "attempt $attempt: MySQL accepts $target (after $(($(date +%s) - start))s)"
    exit 0
  fi
  log "attempt $attempt: MySQL does not accept $target yet: $error"
  now=$(date +%s)
  if [ "$now" -ge "$deadline" ]; then
    log "giving up after $((now - start))s and $attempt attempts: MySQL did not accept $target within \${${WAIT_ENV.timeout}}s; check the host, port, database, user and password (last error: $error)" >&2
    exit 1
  fi
  pause=$${WAIT_ENV.interval}
  if [ $((deadline - now)) -lt "$pause" ]; then pause=$((deadline - now)); fi
  sleep "$pause"
  attempt=$((attempt + 1))
done
`;

export interface WaitForMysqlArgs {
    image: string;
    imagePullPolicy: "Always" | "IfNotPresent" | "Never";
    resources: k8s.types.input.core.v1.ResourceRequirements;
    timeoutSeconds: number;
    intervalSeconds: number;
    connectTimeoutSeconds: number;
    /** The ConfigMap with the AGENT_BACKEND_DB_* settings. */
    envFrom: k8s.types.input.core.v1.EnvFromSource[];
    /** The AGENT_BACKEND_DB_PASSWORD entry, from its Secret. */
    passwordEnv: EnvVar[];
}

export function buildWaitForMysqlContainer(args: WaitForMysqlArgs): ContainerArgs {
    return {
        name: WAIT_FOR_MYSQL,
        image: args.image,
        imagePullPolicy: args.imagePullPolicy,
        command: ["sh", "-c", WAIT_FOR_MYSQL_SCRIPT],
        envFrom: args.envFrom,
        env: [
            { name: WAIT_ENV.timeout, value: String(args.timeoutSeconds) },
            { name: WAIT_ENV.interval, value: String(args.intervalSeconds) },
            { name: WAIT_ENV.connectTimeout, value: String(args.connectTimeoutSeconds) },
            ...args.passwordEnv,
        ],
        resources: args.resources,
        // The option file with the password lives here, never on the read-only root.
        writableDirs: [TMP_DIR],
    };
}
