// Traffic for the namespace tests, run inside a namespace with `ip netns exec NS node udp-tool.mjs ...`.
//   echo NAME PORT...                  answer every datagram with NAME
//   ask HOST PORT SPORT... [--timeout MS]  one datagram from each local SPORT over a connected socket;
//                                      prints a JSON array with each answer or null
import dgram from "node:dgram";

const [mode, ...args] = process.argv.slice(2);

if (mode === "echo") {
  const [name, ...ports] = args;
  for (const port of ports) {
    const socket = dgram.createSocket("udp4");
    socket.on("message", (_message, remote) => socket.send(name, remote.port, remote.address));
    socket.bind(Number(port));
  }
  process.stdout.write("ready\n");
} else if (mode === "ask") {
  const timeoutAt = args.indexOf("--timeout");
  const timeoutMs = timeoutAt >= 0 ? Number(args[timeoutAt + 1]) : 1000;
  const [host, port, ...sports] = timeoutAt >= 0 ? args.slice(0, timeoutAt) : args;
  const answers = await Promise.all(
    sports.map(
      (sport) =>
        new Promise((resolve) => {
          const socket = dgram.createSocket("udp4");
          const timer = setTimeout(() => {
            socket.close();
            resolve(null);
          }, timeoutMs);
          socket.on("message", (message) => {
            clearTimeout(timer);
            socket.close();
            resolve(message.toString());
          });
          socket.bind(Number(sport), () => {
            // Connected: the kernel drops answers that do not come from HOST:PORT.
            socket.connect(Number(port), host, () => socket.send("hello"));
          });
        }),
    ),
  );
  process.stdout.write(`${JSON.stringify(answers)}\n`);
} else {
  process.stderr.write("usage: udp-tool.mjs echo NAME PORT... | ask HOST PORT SPORT... [--timeout MS]\n");
  process.exit(2);
}
