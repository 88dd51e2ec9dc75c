import { readPanelEnv } from "./server/env.ts";
import { startPanel } from "./server/start-panel.ts";

process.env.NEXT_TELEMETRY_DISABLED ??= "1";

const env = readPanelEnv();
const panel = await startPanel({ env, ui: true }).catch((error: unknown) => {
  console.error(`Stratum panel failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    panel.logger.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    panel.close().then(
      () => process.exit(0),
      (error) => {
        panel.logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
