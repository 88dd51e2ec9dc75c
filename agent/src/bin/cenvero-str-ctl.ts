#!/usr/bin/env tsx
import { buildCtlProgram } from "../ctl/build-ctl-program.ts";

try {
  await buildCtlProgram().parseAsync(process.argv);
} catch (error) {
  console.error(`cenvero-str-ctl: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
