import { Command, CommanderError } from "commander";
import { configCommand } from "./commands/config.ts";
import { dbCommand } from "./commands/db.ts";
import { keysCommand } from "./commands/keys.ts";
import { licenseCommand } from "./commands/license.ts";
import { usersCommand } from "./commands/users.ts";
import type { Io } from "./io.ts";

/** Commands added with addCommand do not inherit these settings, so they are applied to every level. */
function inheritSettings(command: Command, io: Io): void {
  command.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  for (const sub of command.commands) inheritSettings(sub, io);
}

export function buildProgram(io: Io): Command {
  const program = new Command("stratum-admin").description(
    "Operator and vendor tasks for a Stratum installation",
  );
  program.addCommand(dbCommand(io));
  program.addCommand(usersCommand(io));
  program.addCommand(keysCommand(io));
  program.addCommand(configCommand(io));
  program.addCommand(licenseCommand(io));
  inheritSettings(program, io);
  return program;
}

/** Runs the CLI and returns the exit code: 0 done, 1 failed, 2 usage error. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  try {
    await buildProgram(io).parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    io.err(`stratum-admin: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function processIo(): Io {
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
  };
}
