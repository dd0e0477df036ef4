// The app's Inngest endpoint as a process of its own (for tests that kill -9 it mid-sync):
// `node --import tsx tests/support/sync-app-server.ts <port>`, configured by the environment like the app.
import http from "node:http";
import { serve } from "inngest/node";
import { inngest } from "../../inngest/client";
import { functions } from "../../inngest/functions";

const port = Number(process.argv[2]);
const handler = serve({ client: inngest, functions });
http
  .createServer((req, res) => {
    if (req.url?.startsWith("/api/inngest")) return void handler(req, res);
    res.writeHead(404).end();
  })
  .listen(port, "127.0.0.1", () => console.log(`ready ${port}`));
