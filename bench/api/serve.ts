// A panel without the UI, in its own process so the load generator does not share its event loop.
import { readPanelEnv } from "../../apps/panel/server/env.ts";
import { startPanel } from "../../apps/panel/server/start-panel.ts";

const panel = await startPanel({
  env: readPanelEnv({
    ...process.env,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    STRATUM_DEMO_AGENTS: "0",
  }),
  ui: false,
});
process.stdout.write(
  `${JSON.stringify({ url: panel.url.replace("localhost", "127.0.0.1"), setupCode: panel.setupCode })}\n`,
);
process.on("SIGTERM", () => void panel.close().then(() => process.exit(0)));
