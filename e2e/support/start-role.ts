import { createLogger, loadConfig, redactorFor } from "@fixline/core";
import { onShutdownSignal } from "@fixline/queue";
import { roles, startFixline, type Role } from "../../services/cli/src/runtime/start-fixline";

/**
 * `fixline start --role <role>` with a BullMQ prefix of the test's own (argv[3]): the CLI always uses the
 * default prefix, and a test must not share queues with a Fixline someone else runs on the same Redis.
 * Everything else is what `fixline start` does: config from the environment, one role, drain on SIGTERM.
 */
const [role, prefix] = process.argv.slice(2);
if (!roles.includes(role as Role) || !prefix) {
  process.stderr.write("usage: start-role.ts <all|webhook|planner|executor> <queue prefix>\n");
  process.exit(64);
}
// loadConfig() reads the environment, as `fixline start` does; PATH and HOME come through it too.
const config = loadConfig();
const logger = createLogger({ level: config.logLevel, name: `fixline-${role}`, redactor: redactorFor(config) });
const running = await startFixline({ config, logger, role: role as Role, pathEnv: config.inheritedEnv.PATH ?? "/usr/bin:/bin", homeDir: config.inheritedEnv.HOME ?? "/tmp", prefix });
onShutdownSignal(() => running.stop(3_000), logger);
