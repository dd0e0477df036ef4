import net from "node:net";
import { describe, expect, it } from "vitest";
import { PortInUseError } from "@/scripts/port-in-use";
import { startStack } from "@/scripts/stack";

describe("the dev launcher", () => {
  it("refuses to start when a port it needs is taken, naming the port and what it was for", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const start = startStack({ mode: "dev", appPort: port, runnerPort: 1, sandboxPort: 1, dbPort: 1, log: () => {} });
      await expect(start).rejects.toBeInstanceOf(PortInUseError);
      await expect(start).rejects.toThrow(`Port ${port} (the app) is already in use`);
    } finally {
      blocker.close();
    }
  });
});
