// Stands in for `next dev|start -p <port> [-H <host>]` in the launcher tests (running the real Next.js
// there would build into the shared .next folder): listens where it is told, as Next.js does (every
// interface without -H), and answers every path, /api/health included, with its pid and address.
import http from "node:http";

const args = process.argv.slice(2);
const value = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const port = Number(value("-p"));
const host = value("-H");
const server = http.createServer((_req, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ status: "ok", pid: process.pid, host: host ?? null }));
});
server.listen(port, host, () => console.log(`fake next listening on ${host ?? "every interface"}:${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
