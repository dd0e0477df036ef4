// Step names read like a log and must be unique within a run: a repeated name (the same report
// checked again after a wait) gets `:2`, `:3`, ...
export class StepNames {
  private readonly used = new Map<string, number>();

  unique(base: string): string {
    const n = (this.used.get(base) ?? 0) + 1;
    this.used.set(base, n);
    return n === 1 ? base : `${base}:${n}`;
  }
}
