export { FleetHub, type FleetHubOptions } from "./fleet-hub.ts";
