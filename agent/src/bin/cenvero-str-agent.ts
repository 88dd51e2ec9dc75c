#!/usr/bin/env tsx
import { buildAgentProgram } from "../cli/build-agent-program.ts";

try {
  await buildAgentProgram().parseAsync(process.argv);
} catch (error) {
  console.error(`cenvero-str-agent: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
