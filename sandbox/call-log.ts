// Per-operation call log the tests read (GET /__sandbox/calls or Sandbox.calls()).
export interface CallRecord {
  /** Sandbox time of the call, ISO. */
  time: string;
  /** Real wall time of the call, ISO (useful to reason about test durations). */
  realTime: string;
  operation: string;
  method: string;
  path: string;
  sellingPartnerId: string | null;
  status: number;
  requestId: string;
}

export class CallLog {
  private readonly records: CallRecord[] = [];
  constructor(private readonly limit = 100_000) {}

  add(record: CallRecord): void {
    this.records.push(record);
    if (this.records.length > this.limit) this.records.splice(0, this.records.length - this.limit);
  }

  list(): CallRecord[] {
    return this.records.slice();
  }

  clear(): void {
    this.records.length = 0;
  }
}
