// The one error for "that port is taken", raised by the launcher's port check and the embedded
// database alike, so the message (and what to do about it) reads the same wherever it appears.

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    what?: string,
  ) {
    super(`Port ${port}${what ? ` (${what})` : ""} is already in use. Stop whatever holds it (lsof -i :${port}) or choose another port.`);
    this.name = "PortInUseError";
  }
}

export function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === "EADDRINUSE";
}
