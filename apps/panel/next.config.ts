import type { NextConfig } from "next";

const config: NextConfig = {
  // The UI talks to the API over HTTP (tRPC); server-only packages never enter the bundle.
  reactStrictMode: true,
  poweredByHeader: false,
  typedRoutes: false,
  serverExternalPackages: ["@electric-sql/pglite"],
  turbopack: { root: new URL("../..", import.meta.url).pathname },
};

export default config;
